using Edge.Client.Tests.Support;
using Edge.EndToEnd.Tests.Support;
using Edge.Protocol;
using Edge.Protocol.Client;

namespace Edge.Client.Tests;

/// <summary>The SDK against a real in-process Edge: real sockets, real JWTs, prices over real Aeron UDP.</summary>
public sealed class MarketDataClientTests
{
    private static async Task<BestPrice> NextAsync(PriceSubscription prices)
    {
        using var timeout = new CancellationTokenSource(Wait.Timeout);
        return await prices.ReadAsync(timeout.Token);
    }

    [TestCase(ClientEncoding.MessagePack)]
    [TestCase(ClientEncoding.Json)]
    public async Task Subscribe_returns_the_ack_then_the_snapshot_and_live_prices_arrive_through_the_async_enumerable(ClientEncoding encoding)
    {
        // Ingest:Symbols set: an allow-list, so a symbol neither listed nor priced is refused.
        await using var edge = await RunningEdge.StartAsync(o => o.Ingest.Symbols = ["XAU/USD"]);
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("EUR/USD", 1.0851, 1.0853, 1);
        await edge.WaitForSymbolAsync("EUR/USD");
        await using var client = new MarketDataClient(new MarketDataClientOptions { Url = edge.Url, Token = edge.Token(), Encoding = encoding });
        await client.ConnectAsync();
        using var prices = client.Prices("EUR/USD");

        var ack = await client.SubscribeAsync(["EUR/USD", "NOPE/XXX"]);
        var snapshot = await NextAsync(prices);
        feed.Publish("EUR/USD", 1.0852, 1.0854, 2);
        using var timeout = new CancellationTokenSource(Wait.Timeout);
        BestPrice? live = null;
        await foreach (var price in prices.WithCancellation(timeout.Token))
        {
            live = price;
            break;
        }

        Assert.That(client.IsConnected, Is.True);
        Assert.That(client.Encoding, Is.EqualTo(encoding));
        Assert.That(ack.Subscribed, Is.EqualTo(new[] { "EUR/USD" }));
        Assert.That(ack.Errors.Single().Symbol, Is.EqualTo("NOPE/XXX"));
        Assert.That(ack.Errors.Single().Code, Is.EqualTo(ErrorCode.UnknownSymbol));
        Assert.That(snapshot.Sequence, Is.EqualTo(1UL));
        Assert.That(snapshot.Bid.Price, Is.EqualTo(1.0851));
        Assert.That(live!.Sequence, Is.EqualTo(2UL));
        Assert.That(live.Ask.Price, Is.EqualTo(1.0854));
        Assert.That(live.Mid, Is.EqualTo((1.0852 + 1.0854) / 2));
    }

    [Test]
    public async Task Callbacks_get_the_symbols_prices_and_unsubscribe_ends_the_reader()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("GBP/USD", 1.2701, 1.2703, 1);
        await edge.WaitForSymbolAsync("GBP/USD");
        await using var client = new MarketDataClient(new MarketDataClientOptions { Url = edge.Url, Token = edge.Token() });
        await client.ConnectAsync();
        var received = new TaskCompletionSource<BestPrice>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = client.OnPrice("GBP/USD", p =>
        {
            if (p.Sequence == 2)
            {
                received.TrySetResult(p);
            }
        });
        using var prices = client.Prices("GBP/USD");

        await client.SubscribeAsync(["GBP/USD"]);
        feed.Publish("GBP/USD", 1.2702, 1.2704, 2);
        var price = await received.Task.WaitAsync(Wait.Timeout);
        var unsubscribed = await client.UnsubscribeAsync(["GBP/USD"]);
        var remaining = new List<BestPrice>();
        using var timeout = new CancellationTokenSource(Wait.Timeout);
        await foreach (var p in prices.WithCancellation(timeout.Token))
        {
            remaining.Add(p);
        }

        Assert.That(price.Bid.Price, Is.EqualTo(1.2702));
        Assert.That(unsubscribed, Is.EqualTo(new[] { "GBP/USD" }));
        Assert.That(remaining.Select(p => p.Sequence), Is.EqualTo(new[] { 1UL, 2UL }), "the reader ended after the unsubscribe, with what it had");
        Assert.That(await client.PingAsync(), Is.GreaterThan(0L));
    }

    [Test]
    public async Task A_short_lived_token_is_refreshed_through_GetToken_and_the_connection_outlives_it()
    {
        // 8 s tokens: the client refreshes a quarter of the lifetime early, so each refresh has ≈ 2 s to arrive before
        // Edge closes at exp (a 3 s token left ≈ 0.5 s, too little on a loaded machine).
        var lifetime = TimeSpan.FromSeconds(8);
        // Skew 0: Edge ends a session at exp + Auth:ClockSkewSeconds; with the default 30 s the first token would outlive the test.
        await using var edge = await RunningEdge.StartAsync(o => o.Auth.ClockSkewSeconds = 0);
        var issued = 0;
        var firstExpiry = DateTime.MaxValue;
        await using var client = new MarketDataClient(new MarketDataClientOptions
        {
            Url = edge.Url,
            GetToken = _ =>
            {
                if (Interlocked.Increment(ref issued) == 1)
                {
                    firstExpiry = DateTime.UtcNow + lifetime;
                }

                return ValueTask.FromResult(edge.Token(lifetime));
            },
        });
        var events = new ClientEvents(client);
        await client.ConnectAsync();

        await Wait.UntilAsync(() => Volatile.Read(ref issued) >= 2, "the token was refreshed");
        await Wait.UntilAsync(() => DateTime.UtcNow > firstExpiry.AddSeconds(1), "the first token has expired");
        var pong = await client.PingAsync();

        Assert.That(pong, Is.GreaterThan(0L));
        Assert.That(events.Disconnects, Is.Empty, events.Describe());
        Assert.That(events.Errors, Is.Empty, events.Describe());
        Assert.That(events.ConnectedCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Heartbeats_every_two_seconds_keep_the_connection_alive_without_errors()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Session.HeartbeatIntervalSeconds = 2);
        await using var client = new MarketDataClient(new MarketDataClientOptions { Url = edge.Url, Token = edge.Token() });
        var events = new ClientEvents(client);
        await client.ConnectAsync();

        await Wait.UntilAsync(() => client.HeartbeatsReceived >= 4, "four heartbeats arrived");

        Assert.That(client.IsConnected, Is.True);
        Assert.That(events.Errors, Is.Empty, events.Describe());
        Assert.That(events.Disconnects, Is.Empty, events.Describe());
    }

    [Test]
    public async Task Feed_status_up_reaches_the_status_event()
    {
        await using var edge = await RunningEdge.StartAsync();
        await using var client = new MarketDataClient(new MarketDataClientOptions { Url = edge.Url, Token = edge.Token() });
        var events = new ClientEvents(client);
        await client.ConnectAsync();

        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("EUR/USD", 1.08, 1.09, 1);
        await Wait.UntilAsync(() => !events.FeedStatuses.IsEmpty, "a status message arrived");

        Assert.That(events.FeedStatuses.First().Feed, Is.EqualTo(FeedState.Up));
    }
}
