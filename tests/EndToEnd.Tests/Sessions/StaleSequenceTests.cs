using Edge.EndToEnd.Tests.Support;
using Edge.Protocol.Client;
using static Edge.Tests.Shared.Eventually;

namespace Edge.EndToEnd.Tests.Sessions;

/// <summary>
/// Two upstream publishers of the same prices (a redundant pair, or a replay): a symbol's sequence still only grows
/// for clients. What does not grow is dropped at ingest and counted.
/// </summary>
public sealed class StaleSequenceTests
{
    private const string Symbol = "EUR/USD";

    [Test]
    public async Task A_second_publishers_duplicate_and_older_prices_never_reach_a_client()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var first = new UpstreamFeed(edge.Host.IngestEndPoint);
        using var second = new UpstreamFeed(edge.Host.IngestEndPoint);
        first.Publish(Symbol, 1.0800, 1.0802, 1);
        await edge.WaitForSymbolAsync(Symbol);
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Token(), ClientEncoding.Json);
        await client.ReceiveAsync(ServerMessageType.Connected);
        await client.SubscribeAsync(Symbol);
        var snapshot = await client.ReceiveAsync(ServerMessageType.Snapshot);
        Assert.That(snapshot.Prices!.Single().Sequence, Is.EqualTo(1UL));

        first.Publish(Symbol, 1.0810, 1.0812, 5);
        Assert.That((await client.ReceiveAsync(ServerMessageType.Price)).Price!.Sequence, Is.EqualTo(5UL));
        second.Publish(Symbol, 1.0700, 1.0702, 3);
        second.Publish(Symbol, 1.0710, 1.0712, 5);
        await WaitUntilAsync(() => edge.Host.FanOut.Ingest.Counters.Stale == 2, "both stale prices were counted");
        second.Publish(Symbol, 1.0820, 1.0822, 6);
        first.Publish(Symbol, 1.0820, 1.0822, 6);
        first.Publish(Symbol, 1.0830, 1.0832, 7);

        var next = await client.ReceiveAsync(ServerMessageType.Price);
        Assert.That(next.Price!.Sequence, Is.EqualTo(6UL), "3 and 5 from the second publisher never arrived");
        Assert.That(next.Price.Bid.Price, Is.EqualTo(1.0820));
        Assert.That((await client.ReceiveAsync(ServerMessageType.Price)).Price!.Sequence, Is.EqualTo(7UL), "6 once, from whichever came first");
        await WaitUntilAsync(() => edge.Host.FanOut.Ingest.Counters.Stale == 3, "the second 6 was counted");

        using var http = new HttpClient();
        var metrics = await http.GetStringAsync($"http://{edge.EndPoint}/metrics");
        Assert.That(metrics, Does.Contain("edge_ingest_stale_total 3\n"));
    }
}
