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
        var scrape = await ListeningEdgeMetricsAsync($"aeron:udp?endpoint={LoopbackMulticast.RandomGroup()}|interface=127.0.0.1|ttl=0", "EUR/USD", "BTC/USD");

        Assert.That(scrape, Does.Contain("edge_aeron_image_naks_sent_total{image=\"1\",session=\"").And.Contains("kind=\"multicast\"} "));
        Assert.That(scrape, Does.Contain("edge_aeron_naks_suppressed_total "));
    }

    [Test]
    public async Task Two_edges_join_a_dynamic_mdc_publication_by_its_control_address()
    {
        var scrape = await ListeningEdgeMetricsAsync($"aeron:udp?endpoint=127.0.0.1:0|control=127.0.0.1:{LoopbackMulticast.FreeUdpPort()}", "EUR/USD");

        Assert.That(scrape, Does.Contain("kind=\"mdc\"} "));
    }

    /// <summary>
    /// Starts an Edge whose demo feed publishes on <paramref name="channel"/> and one that only listens on it, waits until
    /// the listening one has seen every one of <paramref name="symbols"/>, and returns its /metrics.
    /// </summary>
    private static async Task<string> ListeningEdgeMetricsAsync(string channel, params string[] symbols)
    {
        await using var publishing = await RunningEdge.StartAsync(o =>
        {
            o.Ingest.Channel = channel;
            o.Demo.Enabled = true;
        });
        await using var listening = await RunningEdge.StartAsync(o => o.Ingest.Channel = channel);

        await publishing.WaitForSymbolAsync("EUR/USD");
        foreach (var symbol in symbols)
        {
            await listening.WaitForSymbolAsync(symbol);
        }

        return (await RawHttp.GetAsync(listening.EndPoint, "/metrics")).Body;
    }
}
