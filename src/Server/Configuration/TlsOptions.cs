using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Edge.Server.Configuration;

/// <summary>
/// TLS on the server port (section <c>Tls</c>): with it on, every connection speaks TLS first, so clients use
/// <c>wss://</c> and <c>https://</c>. The certificate and its private key are PEM files, read at start and again on SIGHUP.
/// </summary>
public sealed class TlsOptions
{
    public bool Enabled { get; set; }

    /// <summary>PEM certificate, optionally followed by its intermediate chain.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>PEM private key (PKCS#8, PKCS#1 or SEC1, unencrypted) of the certificate.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Adds every problem; loads the files to prove they are a usable certificate and key pair.</summary>
    public void Validate(List<string> errors)
    {
        if (!Enabled)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(CertificatePath) || string.IsNullOrWhiteSpace(KeyPath))
        {
            errors.Add("Tls: Tls:CertificatePath and Tls:KeyPath are required when Tls:Enabled is true.");
            return;
        }

        try
        {
            using var certificate = LoadCertificate();
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            errors.Add($"Tls: cannot load the certificate '{CertificatePath}' with the key '{KeyPath}': {ex.Message}");
        }
    }

    /// <summary>Reads the PEM files into a certificate with its private key, usable by SslStream on Linux.</summary>
    public X509Certificate2 LoadCertificate()
    {
        using var pem = X509Certificate2.CreateFromPemFile(CertificatePath!, KeyPath);
        if (!pem.HasPrivateKey)
        {
            throw new CryptographicException("the key does not belong to the certificate");
        }

        if (pem.NotAfter < DateTime.Now)
        {
            throw new CryptographicException($"the certificate expired on {pem.NotAfter:u}");
        }

        // An ephemeral PEM key works with SslStream on Linux; a PKCS#12 round trip keeps it valid on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
