using System.Net.Security;
using System.Net.Sockets;
using Edge.EndToEnd.Tests.Support;
using Edge.Protocol.Client;

namespace Edge.EndToEnd.Tests.Deployment;

/// <summary>TLS in the published native binary: wss:// demo prices, https healthcheck, and SIGHUP reloading the certificate.</summary>
public sealed class TlsBinaryTests
{
    /// <param name="ignoringHangup">
    /// Started under <c>nohup</c>: SIGHUP arrives inherited as ignored, and Edge must still take it as "reload" (CI
    /// runners and shells started this way once left the reload silently dead).
    /// </param>
    [TestCase(false)]
    [TestCase(true)]
    public async Task The_native_binary_serves_wss_and_reloads_its_certificate_on_SIGHUP_without_dropping_clients(bool ignoringHangup)
    {
        EdgeBinary.Path();
        using var certificates = new TestCertificates();
        var first = certificates.Write("edge");
        using var edge = EdgeBinary.Start(
            [
                "--port", "0", "--BindAddress", "127.0.0.1", "--Ingest:Endpoint", "127.0.0.1:0", "--Log:Format", "text",
                "--Tls:Enabled", "true", "--Tls:CertificatePath", first.Certificate, "--Tls:KeyPath", first.Key,
            ],
            ignoringHangup: ignoringHangup);
        var port = await edge.ReadPortAsync();
        var token = await edge.ReadTokenAsync();
        edge.DrainOutput();
        string? oldThumbprint = null;
        using var old = await MarketDataClient.ConnectAsync(
            new Uri($"wss://localhost:{port}/market-data"), token, ClientEncoding.Json,
            options => options.RemoteCertificateValidationCallback = (_, certificate, _, _) => (oldThumbprint = certificate?.GetCertHashString()) is not null);
        await old.ReceiveAsync(ServerMessageType.Connected);
        await old.SubscribeAsync("EUR/USD");
        await old.ReceiveAsync(ServerMessageType.Ack);
        await old.ReceiveAsync(ServerMessageType.Price);
        var healthy = await EdgeBinary.RunAsync("healthcheck", $"https://127.0.0.1:{port}/healthz");

        var second = certificates.Write("next", "CN=edge-renewed");
        File.Copy(second.Certificate, first.Certificate, overwrite: true);
        File.Copy(second.Key, first.Key, overwrite: true);
        edge.Signal(EdgeBinary.SigHup);
        string? newThumbprint = null;
        try
        {
            newThumbprint = await WaitForCertificateAsync(port, second.Thumbprint);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail("Edge kept serving the old certificate for 30 s after SIGHUP. Its output since start-up:\n" + edge.DrainedOutput);
        }

        // Prices keep flowing to the connection made before the reload: two more after it.
        await old.ReceiveAsync(ServerMessageType.Price);
        await old.ReceiveAsync(ServerMessageType.Price);
        var exitCode = await edge.StopAsync();

        Assert.That(healthy.ExitCode, Is.Zero, healthy.Error);
        Assert.That(oldThumbprint, Is.EqualTo(first.Thumbprint));
        Assert.That(newThumbprint, Is.EqualTo(second.Thumbprint));
        Assert.That(exitCode, Is.Zero);
    }

    /// <summary>Opens TLS connections until the server presents the expected certificate (the reload is asynchronous to the signal).</summary>
    private static async Task<string?> WaitForCertificateAsync(int port, string expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? seen = null;
        while (seen != expected)
        {
            // Each handshake reports its own certificate: a value from an earlier one must not linger.
            seen = null;
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            await using var tls = new SslStream(client.GetStream(), false, (_, certificate, _, _) => (seen = certificate?.GetCertHashString()) is not null);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, timeout.Token);
            if (seen != expected)
            {
                await Task.Delay(50, timeout.Token);
            }
        }

        return seen;
    }
}
