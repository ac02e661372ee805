using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Edge.Perf.Target;

/// <summary>
/// A throw-away P-256 certificate for 127.0.0.1/localhost, written as PEM files a TLS run hands to Edge
/// (<c>Tls:CertificatePath</c>, <c>Tls:KeyPath</c>) and to HAProxy (<c>crt</c>: certificate then key in one file).
/// </summary>
internal sealed class SelfSignedCertificate
{
    private SelfSignedCertificate(string certificatePath, string keyPath, string combinedPath)
    {
        CertificatePath = certificatePath;
        KeyPath = keyPath;
        CombinedPath = combinedPath;
    }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    /// <summary>Certificate and key in one PEM file (HAProxy's <c>crt</c>).</summary>
    public string CombinedPath { get; }

    public static SelfSignedCertificate Create(string directory)
    {
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=edge-perf", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        var certificatePem = certificate.ExportCertificatePem();
        var keyPem = key.ExportPkcs8PrivateKeyPem();
        var certificatePath = Path.Combine(directory, "tls.crt");
        var keyPath = Path.Combine(directory, "tls.key");
        var combinedPath = Path.Combine(directory, "tls-haproxy.pem");
        File.WriteAllText(certificatePath, certificatePem + "\n");
        File.WriteAllText(keyPath, keyPem + "\n");
        File.WriteAllText(combinedPath, certificatePem + "\n" + keyPem + "\n");
        return new SelfSignedCertificate(certificatePath, keyPath, combinedPath);
    }
}
