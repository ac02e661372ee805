using Edge.Client.Tests.Support;
using Edge.EndToEnd.Tests.Support;
using Edge.Protocol;

namespace Edge.Client.Tests;

/// <summary>Reconnection rules: Edge restarted on the same port, and close codes from a scripted server.</summary>
public sealed class ReconnectionTests
{
    private static MarketDataClientOptions Options(Uri url, string token) => new()
    {
        Url = url,
        Token = token,
        Encoding = Edge.Protocol.Client.ClientEncoding.Json,
        ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
        MaxReconnectAttempts = 0,
    };

    [Test]
    public async Task After_Edge_restarts_on_the_same_port_the_client_reconnects_and_resubscribes()
    {
        // Heartbeats every 2 s: should the stopped Edge leave the socket half-open, the watchdog still notices (a 1 s
        // interval left the 2.5-interval watchdog too little room for a loaded machine's stalls).
        var first = await RunningEdge.StartAsync(o => o.Session.HeartbeatIntervalSeconds = 2);
        var port = first.EndPoint.Port;
        var secret = first.Tokens.SecretBase64;
        RunningEdge? second = null;
        try
        {
            using (var feed = new UpstreamFeed(first.Host.IngestEndPoint))
            {
                feed.Publish("EUR/USD", 1.0851, 1.0853, 1);
                await first.WaitForSymbolAsync("EUR/USD");
            }

            await using var client = new MarketDataClient(Options(first.Url, first.Token()));
            var events = new ClientEvents(client);
            await client.ConnectAsync();
            using var prices = client.Prices("EUR/USD");
            await client.SubscribeAsync(["EUR/USD"]);

            await first.DisposeAsync();
            await Wait.UntilAsync(() => !events.Disconnects.IsEmpty, "the client saw the connection end");
            second = await RunningEdge.StartAsync(port: port, secret: secret);
            using var secondFeed = new UpstreamFeed(second.Host.IngestEndPoint);
            secondFeed.Publish("EUR/USD", 1.0861, 1.0863, 5);
            await Wait.UntilAsync(() => events.ConnectedCount >= 2, "the client reconnected");

            // Prices published after the resubscribe reach the same reader; the sequence keeps growing so none is dropped.
            BestPrice? price = null;
            using var timeout = new CancellationTokenSource(Wait.Timeout);
            for (ulong sequence = 6; price is null || price.Sequence < 6; sequence++)
            {
                secondFeed.Publish("EUR/USD", 1.0861, 1.0863, sequence);
                using var step = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
                step.CancelAfter(TimeSpan.FromMilliseconds(200));
                try
                {
                    while (price is null || price.Sequence < 6)
                    {
                        price = await prices.ReadAsync(step.Token);
                    }
                }
                catch (OperationCanceledException) when (!timeout.IsCancellationRequested)
                {
                    // Not resubscribed yet: publish the next one.
                }
            }

            TestContext.Out.WriteLine(events.Describe());
            Assert.That(events.Disconnects.First().WillReconnect, Is.True, events.Describe());
            Assert.That(client.IsConnected, Is.True);
            Assert.That(price.Sequence, Is.GreaterThanOrEqualTo(6UL));
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }

    [TestCase((ushort)4003)]
    [TestCase((ushort)1008)]
    [TestCase((ushort)4002)]
    public async Task A_close_that_forbids_reconnecting_is_an_error_and_the_client_stays_down(ushort code)
    {
        using var server = new ScriptedServer(code);
        await using var client = new MarketDataClient(Options(server.Url, "not-a-jwt"));
        var events = new ClientEvents(client);
        await client.ConnectAsync();

        await Wait.UntilAsync(() => !events.Errors.IsEmpty, "the close was reported as an error");

        var error = events.Errors.Single();
        Assert.That(error.CloseCode, Is.EqualTo(code));
        Assert.That(error.Code, Is.EqualTo("CLOSED"));
        Assert.That(events.Disconnects.Single().WillReconnect, Is.False);
        Assert.That(client.IsConnected, Is.False);
        Assert.That(server.Connections, Is.EqualTo(1));
    }

    [TestCase((ushort)1001)]
    [TestCase((ushort)1011)]
    [TestCase((ushort)4008)]
    public async Task A_close_that_allows_reconnecting_reconnects(ushort code)
    {
        using var server = new ScriptedServer(code);
        var options = Options(server.Url, "not-a-jwt");
        options.MaxReconnectAttempts = 3;
        await using var client = new MarketDataClient(options);
        var events = new ClientEvents(client);
        await client.ConnectAsync();

        await Wait.UntilAsync(() => server.Connections >= 2 && events.ConnectedCount >= 2, "the client reconnected");

        Assert.That(events.Disconnects.First().CloseCode, Is.EqualTo(code));
        Assert.That(events.Disconnects.First().WillReconnect, Is.True);
    }

    [Test]
    public async Task After_4001_the_client_reconnects_with_a_fresh_token_from_GetToken()
    {
        using var server = new ScriptedServer(4001);
        var issued = 0;
        var options = Options(server.Url, "unused");
        options.Token = null;
        options.MaxReconnectAttempts = 3;
        options.GetToken = _ => ValueTask.FromResult("token-" + Interlocked.Increment(ref issued));
        await using var client = new MarketDataClient(options);
        var events = new ClientEvents(client);
        await client.ConnectAsync();

        await Wait.UntilAsync(() => server.Connections >= 2 && Volatile.Read(ref issued) >= 2, "the client reconnected with a new token");

        Assert.That(events.Disconnects.First().CloseCode, Is.EqualTo(4001));
        Assert.That(events.Disconnects.First().WillReconnect, Is.True);
        Assert.That(server.Tokens.Take(2), Is.EqualTo(new[] { "token-1", "token-2" }));
    }

    [Test]
    public async Task After_4001_with_a_fixed_token_the_client_does_not_reconnect()
    {
        using var server = new ScriptedServer(4001);
        await using var client = new MarketDataClient(Options(server.Url, "fixed"));
        var events = new ClientEvents(client);
        await client.ConnectAsync();

        await Wait.UntilAsync(() => !events.Errors.IsEmpty, "the close was reported as an error");

        Assert.That(events.Errors.Single().CloseCode, Is.EqualTo(4001));
        Assert.That(events.Disconnects.Single().WillReconnect, Is.False);
    }

    [Test]
    public async Task A_server_that_falls_silent_is_detected_by_the_heartbeat_watchdog_and_the_client_reconnects()
    {
        using var server = new ScriptedServer(closeCode: null, heartbeatMs: 200);
        await using var client = new MarketDataClient(Options(server.Url, "not-a-jwt"));
        var events = new ClientEvents(client);
        await client.ConnectAsync();

        await Wait.UntilAsync(() => server.Connections >= 2, "the client reconnected after the heartbeat timeout");

        Assert.That(events.Errors.First().Code, Is.EqualTo("HEARTBEAT_TIMEOUT"), events.Describe());
        Assert.That(events.Disconnects.First().CloseCode, Is.EqualTo(1006));
        Assert.That(events.Disconnects.First().WillReconnect, Is.True);
    }

    [Test]
    public void Reconnection_delays_grow_exponentially_with_jitter_and_are_capped()
    {
        var baseDelay = TimeSpan.FromMilliseconds(100);
        var max = TimeSpan.FromSeconds(1);
        for (var i = 0; i < 50; i++)
        {
            Assert.That(ReconnectBackoff.Delay(0, baseDelay, max).TotalMilliseconds, Is.InRange(50, 100));
            Assert.That(ReconnectBackoff.Delay(2, baseDelay, max).TotalMilliseconds, Is.InRange(200, 400));
            Assert.That(ReconnectBackoff.Delay(20, baseDelay, max).TotalMilliseconds, Is.InRange(500, 1000));
        }
    }
}
