using Edge.EndToEnd.Tests.Operations;
using Edge.EndToEnd.Tests.Sse;
using Edge.EndToEnd.Tests.Support;
using Edge.Protocol.Client;

namespace Edge.EndToEnd.Tests.Sessions;

/// <summary>
/// Symbols that have had no price since Edge started: subscribed as pending (an empty snapshot), delivered from their
/// first price, bounded by Ingest:MaxSubscribableSymbols, and restricted by Ingest:Symbols when it is set.
/// </summary>
public sealed class PendingSymbolTests
{
    [TestCase(ClientEncoding.MessagePack)]
    [TestCase(ClientEncoding.Json)]
    public async Task A_symbol_with_no_price_yet_is_subscribed_with_an_empty_snapshot_and_delivered_from_its_first_price(ClientEncoding encoding)
    {
        await using var edge = await RunningEdge.StartAsync();
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Token(), encoding);
        await client.ReceiveAsync(ServerMessageType.Connected);

        var id = await client.SubscribeAsync("NEW/ISSUE");
        var ack = await client.ReceiveAsync(ServerMessageType.Ack);
        var snapshot = await client.ReceiveAsync(ServerMessageType.Snapshot);
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("NEW/ISSUE", 10.5, 10.6, 1);
        var price = await client.ReceiveAsync(ServerMessageType.Price);

        Assert.That(ack.Id, Is.EqualTo(id));
        Assert.That(ack.Symbols, Is.EqualTo(new[] { "NEW/ISSUE" }));
        Assert.That(ack.Errors, Is.Empty);
        Assert.That(snapshot.Prices, Is.Empty, "no price yet: no entry");
        Assert.That(price.Price!.Symbol, Is.EqualTo("NEW/ISSUE"));
        Assert.That(price.Price.Sequence, Is.EqualTo(1UL));
        Assert.That(price.Price.Bid.Price, Is.EqualTo(10.5));
    }

    [Test]
    public async Task Pending_symbols_stop_at_Ingest_MaxSubscribableSymbols_and_the_feed_still_adds_its_own()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Ingest.MaxSubscribableSymbols = 2);
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Token());
        await client.ReceiveAsync(ServerMessageType.Connected);

        await client.SubscribeAsync("P/1", "P/2", "P/3");
        var ack = await client.ReceiveAsync(ServerMessageType.Ack);
        await client.SubscribeAsync("P/1");
        var again = await client.ReceiveAsync(ServerMessageType.Ack);
        using var feed = await edge.FeedAsync("FEED/1", 1, 2);

        Assert.That(ack.Symbols, Is.EqualTo(new[] { "P/1", "P/2" }));
        Assert.That(ack.Errors!.Single().Symbol, Is.EqualTo("P/3"));
        Assert.That(ack.Errors!.Single().Code, Is.EqualTo(ErrorCode.UnknownSymbol));
        Assert.That(ack.Errors!.Single().Message, Does.Contain("too many symbols"));
        Assert.That(again.Symbols, Is.EqualTo(new[] { "P/1" }), "a pending symbol stays known");
        Assert.That(edge.Host.Symbols.Count, Is.EqualTo(3), "two pending, one from the feed");
        var scrape = (await RawHttp.GetAsync(edge.EndPoint, "/metrics")).Body;
        Assert.That(PrometheusText.Value(scrape, "edge_symbols_pending_added_total"), Is.EqualTo(2), "the feed's symbol is not pending");
    }

    [Test]
    public async Task With_Ingest_Symbols_set_only_listed_or_priced_symbols_may_be_subscribed()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Ingest.Symbols = ["LISTED/1"]);
        using var feed = await edge.FeedAsync("PRICED/1", 1, 2);
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Token());
        await client.ReceiveAsync(ServerMessageType.Connected);

        await client.SubscribeAsync("LISTED/1", "PRICED/1", "OTHER/1");
        var ack = await client.ReceiveAsync(ServerMessageType.Ack);

        Assert.That(ack.Symbols, Is.EqualTo(new[] { "LISTED/1", "PRICED/1" }));
        Assert.That(ack.Errors!.Single().Symbol, Is.EqualTo("OTHER/1"));
        Assert.That(ack.Errors!.Single().Code, Is.EqualTo(ErrorCode.UnknownSymbol));
        Assert.That(edge.Host.Symbols.Find("OTHER/1"), Is.EqualTo(-1), "a refused symbol is not interned");
    }

    [Test]
    public async Task An_SSE_stream_of_a_symbol_with_no_price_yet_opens_with_an_empty_snapshot_then_streams_its_first_price()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var stream = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=NEW/ISSUE&token={SseStreamTests.Token(edge)}");
        var snapshot = await stream.ReadEventAsync("snapshot");
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("NEW/ISSUE", 10.5, 10.6, 1);
        var price = await stream.ReadEventAsync("price");

        Assert.That(stream.Status, Is.EqualTo(200));
        Assert.That(snapshot.Data, Is.EqualTo("""{"type":"snapshot","prices":[]}"""));
        Assert.That(price.Id, Is.EqualTo("1"));
        Assert.That(price.Data, Does.Contain("\"symbol\":\"NEW/ISSUE\""));
    }
}
