using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Edge.EndToEnd.Tests.Deployment;

/// <summary>Self-signed certificates for localhost written as PEM files into a temporary directory (deleted on Dispose).</summary>
internal sealed class TestCertificates : IDisposable
{
    public TestCertificates()
    {
        Directory = Path.Combine(Path.GetTempPath(), "edge-tls-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    /// <summary>Writes a fresh certificate and key as <paramref name="name"/>.crt/.key; returns the paths and the thumbprint.</summary>
    public (string Certificate, string Key, string Thumbprint) Write(string name, string subject = "CN=localhost")
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        var certificatePath = Path.Combine(Directory, name + ".crt");
        var keyPath = Path.Combine(Directory, name + ".key");
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return (certificatePath, keyPath, certificate.Thumbprint);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
