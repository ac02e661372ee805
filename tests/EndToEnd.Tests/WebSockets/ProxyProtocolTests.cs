using System.Net;
using System.Text;
using Edge.EndToEnd.Tests.Support;
using Edge.Server.Proxy;

namespace Edge.EndToEnd.Tests.WebSockets;

/// <summary>
/// The PROXY protocol over real sockets: the test connects from 127.0.0.1 and plays the balancer, writing the header
/// itself, so it controls every byte (versions, fragments, garbage).
/// </summary>
public sealed class ProxyProtocolTests
{
    private static byte[] V1(string client, int port) => Encoding.ASCII.GetBytes($"PROXY TCP4 {client} 127.0.0.1 {port} 8080\r\n");

    private static byte[] V2Proxy(string client, int port)
    {
        byte[] header = [.. ProxyHeaderParser.V2Signature, 0x21, 0x11, 0x00, 12, .. IPAddress.Parse(client).GetAddressBytes(), 127, 0, 0, 1, (byte)(port >> 8), (byte)port, 0x1F, 0x90];
        return header;
    }

    private static byte[] V2Local() => [.. ProxyHeaderParser.V2Signature, 0x20, 0x00, 0x00, 0x00];

    private static byte[] Upgrade(RunningEdge edge) => Encoding.ASCII.GetBytes(
        $"GET /market-data?token={edge.Token()} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {RawWebSocket.Key}\r\n\r\n");

    private static async Task<RawWebSocket> UpgradeBehindAsync(RunningEdge edge, byte[] header, int chop = 0)
    {
        var client = await RawWebSocket.ConnectAsync(edge.EndPoint);
        try
        {
            byte[] bytes = [.. header, .. Upgrade(edge)];
            if (chop > 0)
            {
                await client.SendChoppedAsync(bytes, chop);
            }
            else
            {
                await client.SendAsync(bytes);
            }

            await client.ReadResponseAsync();
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private static async Task<RawHttpResponse> GetBehindAsync(IPEndPoint endPoint, byte[] header, string path)
    {
        using var client = await RawHttp.ConnectAsync(endPoint);
        await client.SendAsync([.. header, .. Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n")]);
        return await client.ReadResponseAsync();
    }

    private static async Task<string> MetricsAsync(RunningEdge edge, bool behindProxy)
    {
        var response = behindProxy ? await GetBehindAsync(edge.EndPoint, V2Local(), "/metrics") : await RawHttp.GetAsync(edge.EndPoint, "/metrics");
        Assert.That(response.Status, Is.EqualTo(200), response.Body);
        return response.Body;
    }

    [Test]
    public async Task The_per_address_quota_counts_the_client_a_trusted_proxy_names_in_v1_and_v2()
    {
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.Tenancy.MaxConnectionsPerIp = 1;
            o.Server.TrustedProxies.Add("127.0.0.1");
        });

        using var first = await UpgradeBehindAsync(edge, V1("192.0.2.1", 40001));
        using var second = await UpgradeBehindAsync(edge, V2Proxy("192.0.2.2", 40002));
        using var sameAsFirst = await UpgradeBehindAsync(edge, V2Proxy("192.0.2.1", 40003));
        using var sameAsSecond = await UpgradeBehindAsync(edge, V1("192.0.2.2", 40004));

        Assert.Multiple(() =>
        {
            Assert.That(first.Status, Is.EqualTo(101), first.Body);
            Assert.That(second.Status, Is.EqualTo(101), "another client behind the same proxy has its own quota: " + second.Body);
            Assert.That(sameAsFirst.Status, Is.EqualTo(429), "the same original client, the quota of 1 is used up");
            Assert.That(sameAsSecond.Status, Is.EqualTo(429));
        });

        // The v2 LOCAL header (HAProxy's health checks) is accepted too: the metrics request below goes through it.
        var metrics = await MetricsAsync(edge, behindProxy: true);
        Assert.That(metrics, Does.Contain("edge_proxy_protocol_total{result=\"accepted_v1\"} 2"));
        Assert.That(metrics, Does.Contain("edge_proxy_protocol_total{result=\"accepted_v2\"} 2"));
        Assert.That(metrics, Does.Contain("edge_proxy_protocol_total{result=\"accepted_local\"} 1"));
    }

    [Test]
    public async Task A_header_fragmented_byte_by_byte_is_assembled([Values(1, 2)] int version)
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Server.TrustedProxies.Add("127.0.0.0/8"));

        using var client = await UpgradeBehindAsync(edge, version == 1 ? V1("198.51.100.9", 5000) : V2Proxy("198.51.100.9", 5000), chop: 1);

        Assert.That(client.Status, Is.EqualTo(101), client.Body);
    }

    [Test]
    public async Task A_header_from_an_untrusted_address_is_refused_and_ordinary_clients_pass()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Server.TrustedProxies.Add("192.0.2.0/24"));

        var v1 = await GetBehindAsync(edge.EndPoint, V1("192.0.2.1", 40001), "/healthz");
        var v2 = await GetBehindAsync(edge.EndPoint, V2Proxy("192.0.2.1", 40001), "/healthz");
        var plain = await RawHttp.GetAsync(edge.EndPoint, "/healthz");

        Assert.Multiple(() =>
        {
            Assert.That(v1.Status, Is.EqualTo(400));
            Assert.That(v1.Body, Does.Contain("untrusted"));
            Assert.That(v2.Status, Is.EqualTo(400));
            Assert.That(plain.Status, Is.EqualTo(200), "a client without a header is served as before");
        });
        Assert.That(await MetricsAsync(edge, behindProxy: false), Does.Contain("edge_proxy_protocol_total{result=\"refused_untrusted\"} 2"));
    }

    [Test]
    public async Task With_no_trusted_proxy_a_header_is_refused()
    {
        await using var edge = await RunningEdge.StartAsync();

        using var client = await UpgradeBehindAsync(edge, V1("192.0.2.1", 40001));

        Assert.That(client.Status, Is.EqualTo(400));
        Assert.That(client.Body, Does.Contain("untrusted"));
        Assert.That(await client.WaitForEndAsync(), Is.True, "the connection is closed");
    }

    [Test]
    public async Task A_trusted_proxy_without_a_header_or_with_a_bad_one_is_refused()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Server.TrustedProxies.Add("127.0.0.1"));

        var missing = await RawHttp.GetAsync(edge.EndPoint, "/healthz");
        var malformed = await GetBehindAsync(edge.EndPoint, Encoding.ASCII.GetBytes("PROXY TCP4 192.0.2.1 nonsense 1 2\r\n"), "/healthz");
        var healthCheck = await GetBehindAsync(edge.EndPoint, V2Local(), "/healthz");

        Assert.Multiple(() =>
        {
            Assert.That(missing.Status, Is.EqualTo(400));
            Assert.That(missing.Body, Does.Contain("header required"));
            Assert.That(malformed.Status, Is.EqualTo(400));
            Assert.That(malformed.Body, Does.Contain("PROXY v1"));
            Assert.That(healthCheck.Status, Is.EqualTo(200), "a v2 LOCAL header (HAProxy's health check) is served");
        });
        var metrics = await MetricsAsync(edge, behindProxy: true);
        Assert.That(metrics, Does.Contain("edge_proxy_protocol_total{result=\"refused_missing\"} 1"));
        Assert.That(metrics, Does.Contain("edge_proxy_protocol_total{result=\"refused_malformed\"} 1"));
    }
}
