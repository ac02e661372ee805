using System.Net.WebSockets;
using Edge.EndToEnd.Tests.Support;
using Edge.Ingest.Aeron;
using Edge.Protocol;
using Edge.Protocol.Client;
using Edge.Protocol.Ingest;
using Edge.Server.Configuration;

namespace Edge.EndToEnd.Tests.Sessions;

/// <summary>
/// Run to completion end to end (<c>Ingest:ReceiveOn=loop</c>, one event loop): the Aeron feed is received on the
/// event loop that writes to the clients. A real Edge, real WebSocket clients, a real Aeron publisher over loopback UDP.
/// </summary>
public sealed class ReceiveOnLoopTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static Task<RunningEdge> StartOnLoopAsync(Action<EdgeOptions>? configure = null) =>
        RunningEdge.StartAsync(o =>
        {
            o.EventLoops = 1;
            o.Ingest.ReceiveOn = IngestOptions.ReceiveOnLoop;
            configure?.Invoke(o);
        });

    private static string Token(RunningEdge edge, string who) => edge.Tokens.Issue(who, "acme", TimeSpan.FromMinutes(5));

    [Test]
    public async Task Prices_and_feed_up_and_down_reach_a_client_from_the_loop_that_receives()
    {
        await using var edge = await StartOnLoopAsync();
        Assert.That(edge.Host.ReceivesOnLoop, Is.True);
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, Token(edge, "trader-1"));
        await client.ReceiveAsync(ServerMessageType.Connected);

        var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("EUR/USD", 1.08, 1.09, 1);
        var up = await client.ReceiveAsync(ServerMessageType.Status);
        await edge.WaitForSymbolAsync("EUR/USD");
        await client.SubscribeAsync("EUR/USD");
        await client.ReceiveAsync(ServerMessageType.Ack);
        await client.ReceiveAsync(ServerMessageType.Snapshot);
        const ulong Last = 500;
        for (ulong i = 2; i <= Last; i++)
        {
            feed.Publish("EUR/USD", 1.08 + (i * 1e-5), 1.09 + (i * 1e-5), i);
        }

        var sequences = new List<ulong>();
        while (sequences.Count == 0 || sequences[^1] != Last)
        {
            var price = await client.ReceiveAsync(ServerMessageType.Price);
            sequences.Add(price.Price!.Sequence);
        }

        feed.Dispose();
        var down = await client.ReceiveAsync(ServerMessageType.Status);
        using var again = new UpstreamFeed(edge.Host.IngestEndPoint);
        again.Publish("EUR/USD", 1.07, 1.08, Last + 1);
        var upAgain = await client.ReceiveAsync(ServerMessageType.Status);

        Assert.That(up.Feed, Is.EqualTo(FeedState.Up));
        Assert.That(sequences, Is.Ordered.Ascending.And.Unique, "in order; a burst may be conflated, never reordered");
        Assert.That(down.Feed, Is.EqualTo(FeedState.Down));
        Assert.That(upAgain.Feed, Is.EqualTo(FeedState.Up));
        Assert.That(edge.Host.ReceiveDuty!.Runs, Is.GreaterThan(0));
    }

    [Test]
    public async Task Heartbeats_conflation_ticks_and_pings_are_served_while_prices_stream_without_a_pause()
    {
        await using var edge = await StartOnLoopAsync(o =>
        {
            o.Session.HeartbeatIntervalSeconds = 1;
            o.Session.IdleTimeoutSeconds = 30;
        });
        using var feed = await edge.FeedAsync("BTC/USD", 67_000, 67_010);
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, Token(edge, "trader-1"));
        await client.ReceiveAsync(ServerMessageType.Connected);
        // At most 20 prices a second reach the client: the rest is conflated, and the held price goes out on the loop's
        // conflation tick (a scheduled task), while the feed below keeps the loop's queue from ever running dry.
        await client.SubscribeAsync(["BTC/USD"], maxRate: 20);
        await client.ReceiveAsync(ServerMessageType.Ack);

        using var stop = new CancellationTokenSource();
        var published = 0L;
        var streaming = Task.Factory.StartNew(
            () =>
            {
                for (ulong i = 2; !stop.IsCancellationRequested; i++)
                {
                    feed.Publish("BTC/USD", 67_000 + (i % 100), 67_010 + (i % 100), i);
                    Interlocked.Increment(ref published);
                }
            },
            TaskCreationOptions.LongRunning);
        try
        {
            var heartbeats = 0;
            var pricesAfterFirstHeartbeat = 0;
            long? pingId = null;
            var pong = false;
            while (heartbeats < 3 || !pong)
            {
                var message = await client.ReceiveAsync();
                Assert.That(message, Is.Not.Null, $"the connection stays open ({client.CloseStatus} {client.CloseDescription})");
                switch (message!.Type)
                {
                    case ServerMessageType.Heartbeat:
                        heartbeats++;
                        pingId ??= await client.PingAsync();
                        break;
                    case ServerMessageType.Price when heartbeats > 0:
                        pricesAfterFirstHeartbeat++;
                        break;
                    case ServerMessageType.Pong:
                        pong = message.Id == pingId;
                        break;
                }
            }

            Assert.That(pricesAfterFirstHeartbeat, Is.GreaterThan(0), "prices kept coming between the heartbeats");
            Assert.That(Interlocked.Read(ref published), Is.GreaterThan(pricesAfterFirstHeartbeat), "the feed ran faster than the client's rate");
        }
        finally
        {
            await stop.CancelAsync();
            await streaming.WaitAsync(Bound);
        }
    }

    [Test]
    public async Task A_new_connection_and_its_subscribe_are_served_while_the_loop_is_parked_in_poll()
    {
        await using var edge = await StartOnLoopAsync();
        using var feed = await edge.FeedAsync("ETH/USD", 3000, 3001);
        var duty = edge.Host.ReceiveDuty!;
        using (var timeout = new CancellationTokenSource(Bound))
        {
            while (!duty.IsParked)
            {
                await Task.Delay(5, timeout.Token);
            }
        }

        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, Token(edge, "late"));
        await client.ReceiveAsync(ServerMessageType.Connected);
        await client.SubscribeAsync("ETH/USD");
        var ack = await client.ReceiveAsync(ServerMessageType.Ack);
        var snapshot = await client.ReceiveAsync(ServerMessageType.Snapshot);

        Assert.That(ack.Symbols, Is.EqualTo(new[] { "ETH/USD" }));
        Assert.That(snapshot.Prices![0].Sequence, Is.EqualTo(1UL));
        Assert.That(duty.Parks, Is.GreaterThan(0));
    }

    [Test]
    public async Task Graceful_shutdown_ends_while_prices_stream_to_a_subscribed_client()
    {
        var edge = await StartOnLoopAsync(o => o.DrainTimeoutSeconds = 120);
        await using var _ = edge;
        using var publisher = new AeronPublisher(new AeronPublisherOptions { Destination = edge.Host.IngestEndPoint, StreamId = 1001 });
        var message = new byte[IngestSchema.MaxMessageLength];
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, Token(edge, "polite"), ClientEncoding.Json);
        Assert.That((await client.ReceiveAsync())?.Type, Is.EqualTo(ServerMessageType.Connected));

        using var stop = new CancellationTokenSource();
        var streaming = Task.Factory.StartNew(
            () =>
            {
                // Offers that fail (not connected yet, back-pressured, Edge gone) are simply dropped: this only keeps the
                // receiving loop busy.
                for (ulong i = 1; !stop.IsCancellationRequested; i++)
                {
                    var quote = new Quote(150 + (i % 10), 1, 151 + (i % 10), 1, (long)i, i);
                    if (publisher.Offer(message.AsSpan(0, IngestPriceEncoder.Encode(message, "SOL/USD", "LP1", "LP2", quote))) != AeronOfferResult.Success)
                    {
                        Thread.Yield();
                    }
                }
            },
            TaskCreationOptions.LongRunning);
        try
        {
            using (var timeout = new CancellationTokenSource(Bound))
            {
                while (edge.Host.FanOut.Ingest.Counters.Published < 1000)
                {
                    await Task.Delay(5, timeout.Token);
                }
            }

            var stopping = edge.Host.StopAsync();
            var close = await client.AnswerCloseAsync();
            await stopping.WaitAsync(Bound);

            Assert.That(close.Status, Is.EqualTo(WebSocketCloseStatus.EndpointUnavailable));
        }
        finally
        {
            await stop.CancelAsync();
            await streaming.WaitAsync(Bound);
        }
    }
}
