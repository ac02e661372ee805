using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Edge.EndToEnd.Tests.Operations;
using Edge.EndToEnd.Tests.Support;
using Edge.Protocol.Client;
using static Edge.Tests.Shared.Eventually;

namespace Edge.EndToEnd.Tests.Deployment;

/// <summary>
/// Edge with Tls:Enabled in this process, a self-signed certificate made by the test: wss:// clients get prices,
/// https:// answers /healthz, plain HTTP on the TLS port is refused without harming others, and a reload (what
/// SIGHUP does) gives new connections the new certificate while open ones carry on.
/// </summary>
public sealed class TlsEndToEndTests
{
    [Test]
    public async Task A_wss_client_receives_prices_and_https_healthz_answers_200()
    {
        using var certificates = new TestCertificates();
        var pair = certificates.Write("edge");
        await using var edge = await StartAsync(pair);
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        var seen = new CertificateSeen();

        using var client = await ConnectAsync(edge, seen);
        await client.ReceiveAsync(ServerMessageType.Connected);
        await client.SubscribeAsync("EUR/USD");
        await client.ReceiveAsync(ServerMessageType.Ack);
        feed.Publish("EUR/USD", 1.1, 1.2, 1);
        var price = await ReceivePriceAsync(client);
        var health = await GetHttpsAsync(edge, "/healthz");

        Assert.That(seen.Thumbprint, Is.EqualTo(pair.Thumbprint));
        Assert.That(price.Price!.Bid.Price, Is.EqualTo(1.1));
        Assert.That(health, Is.EqualTo((HttpStatusCode.OK, "{\"status\":\"ok\"}")));
    }

    [Test]
    public async Task Tls_1_3_is_negotiated_when_the_client_offers_it()
    {
        using var certificates = new TestCertificates();
        var pair = certificates.Write("edge");
        await using var edge = await StartAsync(pair);

        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(edge.EndPoint);
        await using var tls = new SslStream(client.GetStream(), false, new CertificateSeen().Accept);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" });

        Assert.That(tls.SslProtocol, Is.EqualTo(System.Security.Authentication.SslProtocols.Tls13));
    }

    [Test]
    public async Task Plain_http_on_the_tls_port_is_closed_and_tls_clients_carry_on()
    {
        using var certificates = new TestCertificates();
        var pair = certificates.Write("edge");
        await using var edge = await StartAsync(pair);
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        using var client = await ConnectAsync(edge, new CertificateSeen());
        await client.ReceiveAsync(ServerMessageType.Connected);
        await client.SubscribeAsync("EUR/USD");
        await client.ReceiveAsync(ServerMessageType.Ack);

        using var plain = await RawHttp.ConnectAsync(edge.EndPoint);
        await plain.SendAsync("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var closed = await plain.WaitForCloseAsync();
        feed.Publish("EUR/USD", 1.3, 1.4, 2);
        var price = await ReceivePriceAsync(client);
        var health = await GetHttpsAsync(edge, "/healthz");

        await WaitUntilAsync(() => edge.Server.TlsHandshakes!.Failed == 1);
        Assert.That(closed, Is.True, "the plain-HTTP connection is closed");
        Assert.That(edge.Server.TlsHandshakes!.Succeeded, Is.GreaterThanOrEqualTo(2), "the wss client and the https request");
        Assert.That(price.Price!.Bid.Price, Is.EqualTo(1.3));
        Assert.That(health.Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task After_a_reload_new_connections_get_the_new_certificate_and_open_ones_keep_receiving()
    {
        using var certificates = new TestCertificates();
        var first = certificates.Write("edge");
        await using var edge = await StartAsync(first);
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        var oldSeen = new CertificateSeen();
        using var old = await ConnectAsync(edge, oldSeen);
        await old.ReceiveAsync(ServerMessageType.Connected);
        await old.SubscribeAsync("EUR/USD");
        await old.ReceiveAsync(ServerMessageType.Ack);

        // The operator replaces the files in place, then sends SIGHUP.
        var second = certificates.Write("next", "CN=edge-renewed");
        File.Copy(second.Certificate, first.Certificate, overwrite: true);
        File.Copy(second.Key, first.Key, overwrite: true);
        var reloaded = edge.Host.Reload();
        var newSeen = new CertificateSeen();
        using var fresh = await ConnectAsync(edge, newSeen);
        await fresh.ReceiveAsync(ServerMessageType.Connected);
        feed.Publish("EUR/USD", 1.5, 1.6, 3);
        var price = await ReceivePriceAsync(old);

        Assert.That(reloaded, Is.True);
        Assert.That(oldSeen.Thumbprint, Is.EqualTo(first.Thumbprint));
        Assert.That(newSeen.Thumbprint, Is.EqualTo(second.Thumbprint));
        Assert.That(price.Price!.Bid.Price, Is.EqualTo(1.5), "the connection made before the reload still receives");
    }

    [Test]
    public async Task A_reload_of_a_broken_file_keeps_the_old_certificate()
    {
        using var certificates = new TestCertificates();
        var pair = certificates.Write("edge");
        await using var edge = await StartAsync(pair);

        await File.WriteAllTextAsync(pair.Certificate, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");
        var reloaded = edge.Host.Reload();
        var seen = new CertificateSeen();
        var health = await GetHttpsAsync(edge, "/healthz", seen);

        Assert.That(reloaded, Is.False);
        Assert.That(edge.Server.Tls!.FailedReloads, Is.EqualTo(1));
        Assert.That(health.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(seen.Thumbprint, Is.EqualTo(pair.Thumbprint));
    }

    [Test]
    public async Task A_stalled_wss_client_that_reads_again_after_the_close_timeout_gets_whole_frames_then_4008()
    {
        // With TLS what DotNetty holds is encrypted; what waits before the TlsHandler (plaintext) is dropped at the close.
        using var certificates = new TestCertificates();
        var pair = certificates.Write("edge");
        await using var edge = await StartAsync(pair, options =>
        {
            options.FanOut.SlowConsumerTimeoutSeconds = 1;
            options.FanOut.SlowConsumerMaxQueuedBytes = 64 * 1024 * 1024;
            options.WebSocket.CloseTimeoutSeconds = 5; // a second timeout of 5 s to start reading on a loaded machine
        });
        using var feed = await edge.FeedAsync("EUR/USD", 1.08, 1.09);
        using var healthy = await ConnectAsync(edge, new CertificateSeen());
        await healthy.ReceiveAsync(ServerMessageType.Connected);
        await healthy.SubscribeAsync("EUR/USD");
        await healthy.ReceiveAsync(ServerMessageType.Snapshot);
        using var stalled = await StalledSubscriber.SubscribeAsync(
            edge.EndPoint, edge.Tokens.Issue("lag", "acme", TimeSpan.FromMinutes(10)), "EUR/USD", new CertificateSeen().Accept);

        // Batches in lockstep with the healthy client (never slow itself) until the stalled one is closed.
        var sequence = 1UL;
        using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (SlowConsumerCloses(edge) == 0)
            {
                Assert.That(budget.IsCancellationRequested, Is.False, "the stalled client was never closed");
                for (var i = 0; i < 32; i++)
                {
                    sequence++;
                    feed.Publish("EUR/USD", 1.08, 1.09 + (sequence % 100) * 0.0001, sequence);
                }

                while ((await ReceivePriceAsync(healthy)).Price!.Sequence < sequence)
                {
                }
            }
        }

        await WaitUntilAsync(() => edge.Host.Server.WebSocketCounters.CloseTimeouts.Value > 0);
        var (sequences, closeCode) = await stalled.ReadAsync();

        Assert.That(closeCode, Is.EqualTo(4008), "whole frames, then the close frame 4008: not a TLS record cut short");
        Assert.That(sequences, Is.Ordered.Ascending.And.Unique);
        Assert.That(SlowConsumerCloses(edge), Is.EqualTo(1));
        Assert.That(Discarded(edge), Is.GreaterThan(0), "plaintext waiting before the TlsHandler was dropped");
        feed.Publish("EUR/USD", 1.07, 1.10, sequence + 1);
        Assert.That((await ReceivePriceAsync(healthy)).Price!.Sequence, Is.EqualTo(sequence + 1), "the other client keeps getting prices");
    }

    private static long SlowConsumerCloses(RunningEdge edge) => edge.Host.FanOut.Loops.Sum(static loop => loop.Counters.SlowConsumerCloses);

    private static long Discarded(RunningEdge edge) => edge.Host.FanOut.Loops.Sum(static loop => loop.Counters.SlowConsumerDiscardedBytes);

    private static Task<RunningEdge> StartAsync((string Certificate, string Key, string Thumbprint) pair, Action<Edge.Server.Configuration.EdgeOptions>? configure = null) =>
        RunningEdge.StartAsync(options =>
        {
            options.Ingest.Symbols.Add("EUR/USD");
            options.Tls.Enabled = true;
            options.Tls.CertificatePath = pair.Certificate;
            options.Tls.KeyPath = pair.Key;
            configure?.Invoke(options);
        });

    private static async Task<MarketDataClient> ConnectAsync(RunningEdge edge, CertificateSeen seen)
    {
        var token = edge.Tokens.Issue("user-1", "acme", TimeSpan.FromMinutes(10));
        return await MarketDataClient.ConnectAsync(
            new Uri($"wss://localhost:{edge.EndPoint.Port}/market-data"), token, ClientEncoding.Json,
            options => options.RemoteCertificateValidationCallback = seen.Accept);
    }

    private static async Task<ServerMessage> ReceivePriceAsync(MarketDataClient client)
    {
        // A snapshot or heartbeat may come first; the price is what the test waits for.
        return await client.ReceiveAsync(ServerMessageType.Price);
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetHttpsAsync(RunningEdge edge, string path, CertificateSeen? seen = null)
    {
        seen ??= new CertificateSeen();
        using var handler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = seen.Accept } };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(new Uri($"https://localhost:{edge.EndPoint.Port}{path}"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Accepts the test's self-signed certificate and remembers which one the server presented.</summary>
    private sealed class CertificateSeen
    {
        public string? Thumbprint { get; private set; }

        public bool Accept(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            Thumbprint = certificate?.GetCertHashString();
            return certificate is not null;
        }
    }
}
