using System.Net;
using System.Net.Sockets;
using Edge.EndToEnd.Tests.Support;

namespace Edge.EndToEnd.Tests.Operations;

/// <summary>
/// Two Edges in this process take one price publication: a multicast group on the loopback device, or a dynamic MDC
/// publication. The first Edge's demo feed publishes it (Demo follows Ingest's channel); the second only listens.
/// </summary>
public sealed class ScaleOutIngestTests
{
    [Test]
    public async Task Two_edges_on_one_multicast_group_both_get_the_prices_and_metrics_show_the_image_kind()
    {
        var group = $"239.255.{Random.Shared.Next(1, 255)}.{(Random.Shared.Next(0, 126) * 2) + 1}:{FreeUdpPort()}";
        var channel = $"aeron:udp?endpoint={group}|interface=127.0.0.1|ttl=0";
        await using var publishing = await RunningEdge.StartAsync(o =>
        {
            o.Ingest.Channel = channel;
            o.Demo.Enabled = true;
        });
        await using var listening = await RunningEdge.StartAsync(o => o.Ingest.Channel = channel);

        await publishing.WaitForSymbolAsync("EUR/USD");
        await listening.WaitForSymbolAsync("EUR/USD");
        await listening.WaitForSymbolAsync("BTC/USD");

        var scrape = (await RawHttp.GetAsync(listening.EndPoint, "/metrics")).Body;
        Assert.That(scrape, Does.Contain("edge_aeron_image_naks_sent_total{image=\"1\",session=\"").And.Contains("kind=\"multicast\"} "));
        Assert.That(scrape, Does.Contain("edge_aeron_naks_suppressed_total "));
    }

    [Test]
    public async Task Two_edges_join_a_dynamic_mdc_publication_by_its_control_address()
    {
        var channel = $"aeron:udp?endpoint=127.0.0.1:0|control=127.0.0.1:{FreeUdpPort()}";
        await using var publishing = await RunningEdge.StartAsync(o =>
        {
            o.Ingest.Channel = channel;
            o.Demo.Enabled = true;
        });
        await using var listening = await RunningEdge.StartAsync(o => o.Ingest.Channel = channel);

        await publishing.WaitForSymbolAsync("EUR/USD");
        await listening.WaitForSymbolAsync("EUR/USD");

        var scrape = (await RawHttp.GetAsync(listening.EndPoint, "/metrics")).Body;
        Assert.That(scrape, Does.Contain("kind=\"mdc\"} "));
    }

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
