using System.Net.WebSockets;
using Edge.EndToEnd.Tests.Support;
using Edge.Protocol.Client;
using Edge.Server.Tenants;

namespace Edge.EndToEnd.Tests.Sessions;

/// <summary>The market-data session end to end: real Edge, real tokens, real Aeron feed over loopback UDP.</summary>
public sealed class MarketDataSessionTests
{
    private static async Task WaitForFanOutAsync(RunningEdge edge)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var cursor = edge.Host.FanOut.Ring.Cursor;
        foreach (var loop in edge.Host.FanOut.Loops)
        {
            while (loop.Consumed.Value < cursor)
            {
                await Task.Delay(5, timeout.Token);
            }
        }
    }

    [Test]
    public async Task A_valid_token_connects_and_gets_connected_with_its_limits()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("trader-1", "acme", TimeSpan.FromMinutes(5)));

        var connected = await client.ReceiveAsync(ServerMessageType.Connected);

        Assert.That(connected.ClientId, Is.Not.Empty);
        Assert.That(connected.HeartbeatInterval, Is.EqualTo(30_000));
        Assert.That(connected.Limits!.Value.MaxSubscriptions, Is.EqualTo(100));
    }

    [Test]
    public async Task An_invalid_token_is_rejected_at_the_handshake()
    {
        await using var edge = await RunningEdge.StartAsync();
        var forged = new Edge.Server.Auth.DevTokenIssuer(edge.Host.Options.Auth).Issue("trader-1", "acme", TimeSpan.FromMinutes(5));

        var refused = Assert.ThrowsAsync<WebSocketException>(async () => await MarketDataClient.ConnectAsync(edge.EndPoint, forged));

        Assert.That(refused!.Message, Does.Contain("401"));
    }

    [TestCase(ClientEncoding.MessagePack)]
    [TestCase(ClientEncoding.Json)]
    public async Task A_subscribed_client_gets_ack_snapshot_then_prices_of_its_symbol_only(ClientEncoding encoding)
    {
        // Ingest:Symbols set: an allow-list, so a symbol neither listed nor priced is refused.
        await using var edge = await RunningEdge.StartAsync(o => o.Ingest.Symbols = ["XAU/USD"]);
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("EUR/USD", 1.0851, 1.0853, 1);
        feed.Publish("GBP/USD", 1.2701, 1.2703, 1);
        await edge.WaitForSymbolAsync("GBP/USD");
        await WaitForFanOutAsync(edge);
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("trader-1", "acme", TimeSpan.FromMinutes(5)), encoding);
        await client.ReceiveAsync(ServerMessageType.Connected);

        var id = await client.SubscribeAsync("EUR/USD", "NOPE/XXX");
        var ack = await client.ReceiveAsync(ServerMessageType.Ack);
        var snapshot = await client.ReceiveAsync(ServerMessageType.Snapshot);
        feed.Publish("GBP/USD", 1.2702, 1.2704, 2);
        feed.Publish("EUR/USD", 1.0852, 1.0854, 2);
        var price = await client.ReceiveAsync(ServerMessageType.Price);

        Assert.That(ack.Id, Is.EqualTo(id));
        Assert.That(ack.Symbols, Is.EqualTo(new[] { "EUR/USD" }));
        Assert.That(ack.Errors!.Single().Symbol, Is.EqualTo("NOPE/XXX"));
        Assert.That(ack.Errors!.Single().Code, Is.EqualTo(ErrorCode.UnknownSymbol));
        Assert.That(snapshot.Prices!.Single().Bid.Price, Is.EqualTo(1.0851));
        Assert.That(price.Price!.Symbol, Is.EqualTo("EUR/USD"), "GBP/USD was not subscribed");
        Assert.That(price.Price.Sequence, Is.EqualTo(2UL));
        Assert.That(price.Price.Ask.Price, Is.EqualTo(1.0854));
    }

    [TestCase(ClientEncoding.MessagePack)]
    [TestCase(ClientEncoding.Json)]
    public async Task After_150_rapid_subscribes_the_next_answer_is_RATE_LIMITED_with_its_request_id(ClientEncoding encoding)
    {
        // The default burst (150, as the gateway Edge replaces); the refill is slowed so that a loaded machine taking
        // its time over the 150 cannot earn the 151st a token.
        await using var edge = await RunningEdge.StartAsync(o => o.Tenancy.Default.CommandsPerSecond = 0.001);
        Assert.That(edge.Host.Options.Tenancy.Default.CommandBurst, Is.EqualTo(150), "the documented default burst");
        using var feed = await edge.FeedAsync("BTC/USD", 67_000, 67_010);
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("trader-1", "acme", TimeSpan.FromMinutes(5)), encoding);
        await client.ReceiveAsync(ServerMessageType.Connected);

        var ids = new List<long>();
        for (var i = 0; i < 150; i++)
        {
            ids.Add(await client.SubscribeAsync("BTC/USD"));
        }

        var refusedId = await client.SubscribeAsync("BTC/USD");
        var answers = new List<ServerMessage>();
        while (answers.Count < 151)
        {
            var message = await client.ReceiveAsync();
            Assert.That(message, Is.Not.Null, "the client is not closed for 151 commands");
            if (message!.Type is ServerMessageType.Ack or ServerMessageType.Error)
            {
                answers.Add(message);
            }
        }

        Assert.That(answers.Take(150).Select(a => (a.Type, a.Id)), Is.EqualTo(ids.Select(id => (ServerMessageType.Ack, (long?)id))), "the burst is served");
        Assert.That(answers[^1].Type, Is.EqualTo(ServerMessageType.Error));
        Assert.That(answers[^1].Code, Is.EqualTo("RATE_LIMITED"));
        Assert.That(answers[^1].Id, Is.EqualTo(refusedId), "the refusal names the request it refuses");
    }

    [TestCase(ClientEncoding.MessagePack)]
    [TestCase(ClientEncoding.Json)]
    public async Task A_symbol_named_twice_in_one_subscribe_is_acked_and_snapshotted_once(ClientEncoding encoding)
    {
        await using var edge = await RunningEdge.StartAsync();
        using var feed = await edge.FeedAsync("EUR/USD", 1.0851, 1.0853);
        await WaitForFanOutAsync(edge);
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("trader-1", "acme", TimeSpan.FromMinutes(5)), encoding);
        await client.ReceiveAsync(ServerMessageType.Connected);

        await client.SubscribeAsync("EUR/USD", "EUR/USD", "EUR/USD");
        var ack = await client.ReceiveAsync(ServerMessageType.Ack);
        var snapshot = await client.ReceiveAsync(ServerMessageType.Snapshot);

        Assert.That(ack.Symbols, Is.EqualTo(new[] { "EUR/USD" }));
        Assert.That(ack.Errors, Is.Empty);
        Assert.That(snapshot.Prices!.Select(p => p.Symbol), Is.EqualTo(new[] { "EUR/USD" }));
    }

    [TestCase(ClientEncoding.MessagePack)]
    [TestCase(ClientEncoding.Json)]
    public async Task Unsubscribing_symbols_not_held_lists_them_as_unsubscribed(ClientEncoding encoding)
    {
        await using var edge = await RunningEdge.StartAsync();
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("EUR/USD", 1.0851, 1.0853, 1);
        feed.Publish("GBP/USD", 1.2701, 1.2703, 1);
        await edge.WaitForSymbolAsync("GBP/USD");
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("trader-1", "acme", TimeSpan.FromMinutes(5)), encoding);
        await client.ReceiveAsync(ServerMessageType.Connected);
        await client.SubscribeAsync("EUR/USD");
        await client.ReceiveAsync(ServerMessageType.Ack);

        // Held, known but not held, and never seen by Edge: afterwards none is subscribed, and none is an error.
        var id = await client.UnsubscribeAsync("EUR/USD", "GBP/USD", "NEVER/SEEN");
        var ack = await client.ReceiveAsync(ServerMessageType.Ack);

        Assert.That(ack.Id, Is.EqualTo(id));
        Assert.That(ack.Symbols, Is.EqualTo(new[] { "EUR/USD", "GBP/USD", "NEVER/SEEN" }));
        Assert.That(ack.Errors, Is.Empty);
    }

    [Test]
    public async Task A_client_that_keeps_flooding_is_closed_with_1008()
    {
        // The burst (150) then 20 refused in a row; the refill is slowed so no refused streak is broken by a new token.
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.Session.FloodCloseAfterRejected = 20;
            o.Tenancy.Default.CommandsPerSecond = 0.001;
        });
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("trader-1", "acme", TimeSpan.FromMinutes(5)));
        await client.ReceiveAsync(ServerMessageType.Connected);

        for (var i = 0; i < 200; i++)
        {
            await client.PingAsync();
        }

        Assert.That(await client.WaitForCloseAsync(), Is.EqualTo(WebSocketCloseStatus.PolicyViolation));
    }

    [Test]
    public async Task Tenants_only_see_entitled_symbols()
    {
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.Tenancy.Tenants["fx-only"] = new TenantOptions { SymbolPrefixes = ["EUR/", "GBP/"] };
        });
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("EUR/USD", 1.08, 1.09, 1);
        feed.Publish("BTC/USD", 67_000, 67_010, 1);
        await edge.WaitForSymbolAsync("BTC/USD");
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("trader-1", "fx-only", TimeSpan.FromMinutes(5)));
        await client.ReceiveAsync(ServerMessageType.Connected);

        await client.SubscribeAsync("EUR/USD", "BTC/USD");
        var ack = await client.ReceiveAsync(ServerMessageType.Ack);

        Assert.That(ack.Symbols, Is.EqualTo(new[] { "EUR/USD" }));
        Assert.That(ack.Errors!.Single().Code, Is.EqualTo(ErrorCode.ForbiddenSymbol));
    }

    [Test]
    public async Task A_tenant_over_its_connection_quota_gets_429()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Tenancy.Tenants["small"] = new TenantOptions { MaxConnections = 1 });
        using var first = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("a", "small", TimeSpan.FromMinutes(5)));
        await first.ReceiveAsync(ServerMessageType.Connected);

        var refused = Assert.ThrowsAsync<WebSocketException>(async () =>
            await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("b", "small", TimeSpan.FromMinutes(5))));
        using var other = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("c", "other", TimeSpan.FromMinutes(5)));

        Assert.That(refused!.Message, Does.Contain("429"));
        Assert.That(await other.ReceiveAsync(ServerMessageType.Connected), Is.Not.Null, "another tenant is not affected");
    }

    [Test]
    public async Task Ping_gets_pong_and_an_expired_token_closes_with_4001()
    {
        // Skew 0: the session ends at exp + Auth:ClockSkewSeconds, the deadline the handshake admits by.
        await using var edge = await RunningEdge.StartAsync(o => o.Auth.ClockSkewSeconds = 0);
        // 5 s: exp is whole seconds, so ≥ 4 s remain for the connect and the ping before Edge closes at exp.
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("trader-1", "acme", TimeSpan.FromSeconds(5)));
        await client.ReceiveAsync(ServerMessageType.Connected);

        var id = await client.PingAsync();
        var pong = await client.ReceiveAsync(ServerMessageType.Pong);

        Assert.That(pong.Id, Is.EqualTo(id));
        Assert.That((int?)await client.WaitForCloseAsync(), Is.EqualTo(4001));
    }

    [Test]
    public async Task Feed_down_and_up_reach_clients_as_status_messages()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("trader-1", "acme", TimeSpan.FromMinutes(5)));
        await client.ReceiveAsync(ServerMessageType.Connected);

        var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("EUR/USD", 1.08, 1.09, 1);
        var up = await client.ReceiveAsync(ServerMessageType.Status);
        feed.Dispose();
        var down = await client.ReceiveAsync(ServerMessageType.Status);

        Assert.That(up.Feed, Is.EqualTo(FeedState.Up));
        Assert.That(down.Feed, Is.EqualTo(FeedState.Down));
    }

    [Test]
    public async Task A_max_rate_subscription_is_conflated_and_ends_on_the_final_price()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var feed = await edge.FeedAsync("ETH/USD", 3000, 3001);
        using var limited = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("trader-1", "acme", TimeSpan.FromMinutes(5)));
        await limited.ReceiveAsync(ServerMessageType.Connected);
        await limited.SubscribeAsync(["ETH/USD"], maxRate: 5);
        await limited.ReceiveAsync(ServerMessageType.Ack);

        const int Updates = 300;
        for (var i = 2; i <= Updates + 1; i++)
        {
            feed.Publish("ETH/USD", 3000 + i, 3001 + i, (ulong)i);
        }

        var received = 0;
        ulong last = 0;
        while (last != Updates + 1)
        {
            var message = await limited.ReceiveAsync();
            Assert.That(message, Is.Not.Null, "the connection stays open");
            if (message!.Type == ServerMessageType.Snapshot)
            {
                last = message.Prices!.Single().Sequence;
            }
            else if (message.Type == ServerMessageType.Price)
            {
                Assert.That(message.Price!.Sequence, Is.GreaterThan(last), "never an older price after a newer one");
                last = message.Price.Sequence;
                received++;
            }
        }

        Assert.That(received, Is.LessThan(Updates), "updates were conflated to the requested rate");
    }
}
