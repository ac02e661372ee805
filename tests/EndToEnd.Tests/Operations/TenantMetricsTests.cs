using Edge.EndToEnd.Tests.Support;
using Edge.Protocol.Client;
using Edge.Server.Tenants;

namespace Edge.EndToEnd.Tests.Operations;

/// <summary>The per-tenant series at /metrics after real clients of two tenants act.</summary>
public sealed class TenantMetricsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Sessions_subscriptions_refused_symbols_and_rate_limited_commands_are_counted_per_tenant()
    {
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.Tenancy.Tenants["fx"] = new TenantOptions { SymbolPrefixes = ["EUR/"] };
            // Three commands, then (practically) no refill during the test.
            o.Tenancy.Tenants["crypto"] = new TenantOptions { CommandBurst = 3, CommandsPerSecond = 0.001 };
        });
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("EUR/USD", 1.08, 1.09, 1);
        feed.Publish("BTC/USD", 67_000, 67_010, 1);
        await edge.WaitForSymbolAsync("BTC/USD");

        using var fxA = await ConnectedAsync(edge, "fx-a", "fx");
        using var fxB = await ConnectedAsync(edge, "fx-b", "fx");
        using var crypto = await ConnectedAsync(edge, "c-1", "crypto");
        await fxA.SubscribeAsync("EUR/USD", "BTC/USD");
        var refused = await fxA.ReceiveAsync(ServerMessageType.Ack);
        await fxB.SubscribeAsync("EUR/USD");
        await fxB.ReceiveAsync(ServerMessageType.Ack);
        await crypto.SubscribeAsync("BTC/USD", "EUR/USD");
        await crypto.ReceiveAsync(ServerMessageType.Ack);
        for (var i = 0; i < 5; i++)
        {
            await crypto.PingAsync();
        }

        var answers = new List<ServerMessageType>();
        while (answers.Count < 5)
        {
            var message = await crypto.ReceiveAsync();
            Assert.That(message, Is.Not.Null);
            if (message!.Type is ServerMessageType.Pong or ServerMessageType.Error)
            {
                answers.Add(message.Type);
            }
        }

        var scrape = (await RawHttp.GetAsync(edge.EndPoint, "/metrics")).Body;

        Assert.That(refused.Errors!.Single().Code, Is.EqualTo(ErrorCode.ForbiddenSymbol));
        Assert.That(answers, Is.EqualTo(new[] { ServerMessageType.Pong, ServerMessageType.Pong, ServerMessageType.Error, ServerMessageType.Error, ServerMessageType.Error }));
        Assert.That(PrometheusText.Value(scrape, "edge_tenant_sessions{tenant=\"fx\"}"), Is.EqualTo(2));
        Assert.That(PrometheusText.Value(scrape, "edge_tenant_sessions{tenant=\"crypto\"}"), Is.EqualTo(1));
        Assert.That(PrometheusText.Value(scrape, "edge_tenant_subscriptions{tenant=\"fx\"}"), Is.EqualTo(2));
        Assert.That(PrometheusText.Value(scrape, "edge_tenant_subscriptions{tenant=\"crypto\"}"), Is.EqualTo(2));
        Assert.That(PrometheusText.Value(scrape, "edge_tenant_symbol_refusals_total{tenant=\"fx\",reason=\"FORBIDDEN_SYMBOL\"}"), Is.EqualTo(1));
        Assert.That(PrometheusText.Value(scrape, "edge_tenant_symbol_refusals_total{tenant=\"crypto\",reason=\"FORBIDDEN_SYMBOL\"}"), Is.Null);
        Assert.That(PrometheusText.Value(scrape, "edge_tenant_rate_limited_total{tenant=\"crypto\"}"), Is.EqualTo(3));
        Assert.That(PrometheusText.Value(scrape, "edge_tenant_rate_limited_total{tenant=\"fx\"}"), Is.Zero);

        // A session that ends gives back its session and its subscriptions.
        fxA.Dispose();
        var after = await ScrapeUntilAsync(edge, s => PrometheusText.Value(s, "edge_tenant_sessions{tenant=\"fx\"}") == 1);
        Assert.That(PrometheusText.Value(after, "edge_tenant_subscriptions{tenant=\"fx\"}"), Is.EqualTo(1));
        Assert.That(PrometheusText.Value(after, "edge_tenant_subscriptions{tenant=\"crypto\"}"), Is.EqualTo(2));
    }

    [Test]
    public async Task A_slow_consumer_close_is_counted_for_its_tenant_only()
    {
        // 3 s, not 1: the healthy reader below is a thread-pool task that a loaded machine may stall for a second.
        await using var edge = await SlowConsumerEdge.StartAsync(timeoutSeconds: 3);
        using var feed = await edge.FeedAsync("EUR/USD", 1.08, 1.09);
        var healthy = await ConnectedAsync(edge, "ok", "steady");
        await healthy.SubscribeAsync("EUR/USD");
        await healthy.ReceiveAsync(ServerMessageType.Ack);
        // The healthy client reads everything as it comes, all along.
        var healthyPrices = 0;
        var reading = Task.Run(async () =>
        {
            try
            {
                while (await healthy.ReceiveAsync() is { } message)
                {
                    healthyPrices += message.Type == ServerMessageType.Price ? 1 : 0;
                }
            }
            catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or ObjectDisposedException or OperationCanceledException)
            {
                // Disposed by the test at the end.
            }
        });
        using var stalled = await StalledSubscriber.SubscribeAsync(edge.EndPoint, edge.Tokens.Issue("lag", "laggard", TimeSpan.FromMinutes(5)), "EUR/USD");

        // Publish until the stalled client is closed (bounded): it is only slow while there is something it does not take.
        var slowCloses = edge.Host.TenantMetrics.For("laggard").SlowConsumerCloses;
        using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            for (var sequence = 2UL; slowCloses.Value == 0; sequence++)
            {
                Assert.That(budget.IsCancellationRequested || sequence > 5_000_000, Is.False, "the stalled client was never closed");
                feed.Publish("EUR/USD", 1.08, 1.09 + (sequence % 100) * 0.0001, sequence);
                if (sequence % 64 == 0)
                {
                    await Task.Delay(1);
                }
            }
        }

        var scrape = (await RawHttp.GetAsync(edge.EndPoint, "/metrics")).Body;
        healthy.Dispose();
        await reading.WaitAsync(Bound);
        Assert.That(healthyPrices, Is.GreaterThan(0));
        Assert.That(PrometheusText.Value(scrape, "edge_tenant_slow_consumer_closes_total{tenant=\"laggard\"}"), Is.EqualTo(1));
        Assert.That(PrometheusText.Value(scrape, "edge_tenant_slow_consumer_closes_total{tenant=\"steady\"}"), Is.Zero);
        Assert.That(PrometheusText.Value(scrape, "edge_slow_consumer_closes_total"), Is.EqualTo(1));
    }

    private static async Task<MarketDataClient> ConnectedAsync(RunningEdge edge, string subject, string tenant)
    {
        var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue(subject, tenant, TimeSpan.FromMinutes(5)));
        await client.ReceiveAsync(ServerMessageType.Connected);
        return client;
    }

    private static async Task<string> ScrapeUntilAsync(RunningEdge edge, Func<string, bool> condition)
    {
        using var timeout = new CancellationTokenSource(Bound);
        while (true)
        {
            var scrape = (await RawHttp.GetAsync(edge.EndPoint, "/metrics")).Body;
            if (condition(scrape))
            {
                return scrape;
            }

            await Task.Delay(20, timeout.Token);
        }
    }
}
