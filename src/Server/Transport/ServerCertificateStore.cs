using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using DotNetty.Handlers.Tls;
using Edge.Server.Configuration;
using Microsoft.Extensions.Logging;

namespace Edge.Server.Transport;

/// <summary>
/// The server's TLS certificate, loaded from the PEM files in <see cref="TlsOptions"/>. Each new connection gets a
/// <see cref="TlsHandler"/> with the certificate current at accept time; <see cref="Reload"/> (on SIGHUP) swaps it
/// for new connections only, so open connections keep theirs and are never dropped. A reload that fails (missing
/// file, key not matching, expired) keeps the old certificate and logs why.
/// </summary>
public sealed partial class ServerCertificateStore : IDisposable
{
    private readonly TlsOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _reloadLock = new();
    private readonly List<X509Certificate2> _retired = [];
    private volatile ServerTlsSettings _settings;
    private volatile X509Certificate2 _certificate;

    /// <summary>Loads the certificate; throws when the files are unusable (Validate reports that earlier, at start).</summary>
    public ServerCertificateStore(TlsOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _certificate = options.LoadCertificate();
        _settings = Settings(_certificate);
        LogLoaded(Describe(_certificate));
    }

    /// <summary>The certificate new connections get.</summary>
    public X509Certificate2 Certificate => _certificate;

    /// <summary>Successful reloads since start.</summary>
    public int Reloads { get; private set; }

    /// <summary>Reloads that failed and kept the previous certificate.</summary>
    public int FailedReloads { get; private set; }

    /// <summary>A TLS handler for one new connection, with the current certificate.</summary>
    public TlsHandler NewHandler() => new(_settings);

    /// <summary>Re-reads the PEM files; true when the new certificate is in use for new connections.</summary>
    public bool Reload()
    {
        lock (_reloadLock)
        {
            X509Certificate2 next;
            try
            {
                next = _options.LoadCertificate();
            }
            catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
            {
                FailedReloads++;
                LogReloadFailed(_options.CertificatePath, _options.KeyPath, ex.Message, Describe(_certificate));
                return false;
            }

            // Open connections may still reference the old certificate: it is disposed with the store, not now.
            _retired.Add(_certificate);
            _certificate = next;
            _settings = Settings(next);
            Reloads++;
            LogReloaded(Describe(next));
            return true;
        }
    }

    public void Dispose()
    {
        lock (_reloadLock)
        {
            foreach (var certificate in _retired)
            {
                certificate.Dispose();
            }

            _retired.Clear();
            _certificate.Dispose();
        }
    }

    // SslProtocols.None lets the system choose (TLS 1.2 and 1.3 with today's OpenSSL) instead of DotNetty's fixed list.
    private static ServerTlsSettings Settings(X509Certificate2 certificate) =>
        new(certificate, negotiateClientCertificate: false, checkCertificateRevocation: false, SslProtocols.None);

    private static string Describe(X509Certificate2 certificate) =>
        $"{certificate.Subject} (thumbprint {certificate.Thumbprint}, valid until {certificate.NotAfter.ToUniversalTime():u})";

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "TLS: serving certificate {Certificate}")]
    private partial void LogLoaded(string certificate);

    [LoggerMessage(EventId = 31, Level = LogLevel.Information, Message = "TLS: certificate reloaded; new connections get {Certificate}, open connections keep theirs")]
    private partial void LogReloaded(string certificate);

    [LoggerMessage(EventId = 32, Level = LogLevel.Error, Message = "TLS: reload of {CertificatePath} / {KeyPath} failed: {Reason}; keeping {Certificate}")]
    private partial void LogReloadFailed(string? certificatePath, string? keyPath, string reason, string certificate);
}
