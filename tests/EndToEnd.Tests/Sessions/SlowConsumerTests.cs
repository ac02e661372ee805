using Edge.EndToEnd.Tests.Operations;
using Edge.EndToEnd.Tests.Support;
using Edge.Protocol.Client;

namespace Edge.EndToEnd.Tests.Sessions;

/// <summary>
/// Slow consumers through the whole stack (Aeron feed → ring → fan-out → WebSocket over TCP): a client that stops
/// reading is conflated, then either catches up on the latest price or is closed with 4008, and a healthy client
/// on the same loops keeps getting every update in order all along.
/// </summary>
public sealed class SlowConsumerTests
{
    private const string Symbol = "EUR/USD";
    private const int Batch = 32;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Test]
    public async Task A_stalled_client_is_conflated_then_closed_with_4008_while_a_healthy_client_gets_every_update()
    {
        await using var edge = await StartAsync(slowConsumerTimeoutSeconds: 1);
        using var feed = await edge.FeedAsync(Symbol, 1.08, 1.09);
        using var healthy = await SubscribedAsync(edge, "steady");
        using var stalled = await StalledAsync(edge, "lag");

        var published = await PublishInLockstepAsync(edge, feed, healthy, stop: () => SlowConsumerCloses(edge) > 0);
        var conflated = Conflated(edge);
        var (sequences, closeCode) = await stalled.ReadAsync();

        Assert.That(conflated, Is.GreaterThan(0), "the stalled client's updates were conflated before it was closed");
        Assert.That(closeCode, Is.EqualTo(4008), "closed as a slow consumer, with the close frame after what it had not read");
        Assert.That(sequences, Is.Ordered.Ascending.And.Unique, "what it got before the close is in order");
        Assert.That(sequences[^1], Is.LessThan(published), "it was cut off before the end");
        await AssertHealthyStillServedAsync(feed, healthy, published + 1);
    }

    [Test]
    public async Task A_stalled_client_that_reads_again_after_the_close_timeout_gets_whole_frames_then_4008()
    {
        // The close timeout expires while the client still reads nothing (its close frame is not in the kernel yet):
        // TCP must not be cut before the close frame, so that the client, reading again, gets it after whole frames.
        // The default watermarks (256 KiB / 64 KiB): far more than DotNetty may hold waits in Edge when the client is closed.
        // The close timeout leaves the test 5 s (a second timeout) to start reading on a loaded machine.
        await using var edge = await StartAsync(slowConsumerTimeoutSeconds: 1, closeTimeoutSeconds: 5, highWaterMark: 256 * 1024, lowWaterMark: 64 * 1024);
        using var feed = await edge.FeedAsync(Symbol, 1.08, 1.09);
        using var healthy = await SubscribedAsync(edge, "steady");
        using var stalled = await StalledAsync(edge, "lag");

        var published = await PublishInLockstepAsync(edge, feed, healthy, stop: () => SlowConsumerCloses(edge) > 0);
        var closeTimeouts = edge.Host.Server.WebSocketCounters.CloseTimeouts;
        using (var budget = new CancellationTokenSource(Bound))
        {
            while (closeTimeouts.Value == 0)
            {
                await Task.Delay(10, budget.Token);
            }
        }

        var (sequences, closeCode) = await stalled.ReadAsync();

        Assert.That(closeCode, Is.EqualTo(4008), "whole frames, then the close frame 4008: not a frame cut short, not EOF (1006)");
        Assert.That(sequences, Is.Ordered.Ascending.And.Unique);
        Assert.That(sequences[^1], Is.LessThan(published), "it was closed before the end");
        Assert.That(SlowConsumerCloses(edge), Is.EqualTo(1));
        Assert.That(Sum(edge, static c => c.SlowConsumerDiscardedBytes), Is.GreaterThan(0), "what waited in Edge was dropped, not sent before the close frame");
        await AssertHealthyStillServedAsync(feed, healthy, published + 1);
    }

    [Test]
    public async Task A_client_that_pauses_is_conflated_and_gets_the_latest_price_when_it_reads_again()
    {
        await using var edge = await StartAsync(slowConsumerTimeoutSeconds: 300);
        using var feed = await edge.FeedAsync(Symbol, 1.08, 1.09);
        using var healthy = await SubscribedAsync(edge, "steady");
        using var paused = await StalledAsync(edge, "nap");

        // Publish until some of the paused client's updates have been conflated (it is then unwritable), then one more.
        var published = await PublishInLockstepAsync(edge, feed, healthy, stop: () => Conflated(edge) > 0);
        var final = published + 1;
        feed.Publish(Symbol, 1.07, 1.10, final);
        await ReadEveryUpdateAsync(healthy, published, final);
        var (sequences, closeCode) = await paused.ReadAsync(untilSequence: final);

        Assert.That(closeCode, Is.Null, "the paused client is not closed");
        Assert.That(sequences, Is.Ordered.Ascending.And.Unique, "never an older price after a newer one");
        Assert.That(sequences[^1], Is.EqualTo(final), "the final price is always delivered");
        Assert.That(sequences.Count, Is.LessThan((int)final), "some updates were conflated away");
        Assert.That(SlowConsumerCloses(edge), Is.Zero);
        await AssertHealthyStillServedAsync(feed, healthy, final + 1);
    }

    // The default close timeout: long enough for the test to read the stalled client's backlog up to the close frame.
    private static Task<RunningEdge> StartAsync(int slowConsumerTimeoutSeconds, int closeTimeoutSeconds = 60, int highWaterMark = 16 * 1024, int lowWaterMark = 8 * 1024) =>
        SlowConsumerEdge.StartAsync(slowConsumerTimeoutSeconds, 64 * 1024 * 1024, highWaterMark, lowWaterMark, closeTimeoutSeconds);

    /// <summary>A client of another tenant that subscribes and then reads nothing.</summary>
    private static Task<StalledSubscriber> StalledAsync(RunningEdge edge, string user) =>
        StalledSubscriber.SubscribeAsync(edge.EndPoint, edge.Tokens.Issue(user, "laggard", TimeSpan.FromMinutes(5)), Symbol);

    private static async Task<MarketDataClient> SubscribedAsync(RunningEdge edge, string tenant)
    {
        var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("reader", tenant, TimeSpan.FromMinutes(5)));
        await client.ReceiveAsync(ServerMessageType.Connected);
        await client.SubscribeAsync(Symbol);
        await client.ReceiveAsync(ServerMessageType.Ack);
        var snapshot = await client.ReceiveAsync(ServerMessageType.Snapshot);
        Assert.That(snapshot.Prices!.Single().Sequence, Is.EqualTo(1UL));
        return client;
    }

    /// <summary>
    /// Publishes batches and waits after each until the healthy client has read every update of it, in order and
    /// without a gap: it never has more than a batch queued, so it is never slow itself. Returns the last sequence.
    /// </summary>
    private static async Task<ulong> PublishInLockstepAsync(RunningEdge edge, UpstreamFeed feed, MarketDataClient healthy, Func<bool> stop)
    {
        using var budget = new CancellationTokenSource(Bound);
        var sequence = 1UL;
        while (!stop())
        {
            Assert.That(budget.IsCancellationRequested, Is.False, "the slow client was not conflated/closed in time");
            for (var i = 0; i < Batch; i++)
            {
                sequence++;
                feed.Publish(Symbol, 1.08, 1.09 + (sequence % 100) * 0.0001, sequence);
            }

            await ReadEveryUpdateAsync(healthy, sequence - Batch, sequence);
        }

        return sequence;
    }

    private static async Task AssertHealthyStillServedAsync(UpstreamFeed feed, MarketDataClient healthy, ulong next)
    {
        feed.Publish(Symbol, 1.06, 1.11, next);
        await ReadEveryUpdateAsync(healthy, next - 1, next);
        Assert.That(healthy.CloseStatus, Is.Null, "the healthy client is still open");
    }

    private static async Task ReadEveryUpdateAsync(MarketDataClient client, ulong after, ulong last)
    {
        var expected = after + 1;
        while (expected <= last)
        {
            var message = await client.ReceiveAsync();
            Assert.That(message, Is.Not.Null, "the healthy client stays open");
            if (message!.Type == ServerMessageType.Price)
            {
                Assert.That(message.Price!.Sequence, Is.EqualTo(expected), "a healthy client gets every update, in order");
                expected++;
            }
        }
    }

    private static long Conflated(RunningEdge edge) => Sum(edge, static c => c.Conflated);

    private static long SlowConsumerCloses(RunningEdge edge) => Sum(edge, static c => c.SlowConsumerCloses);

    private static long Sum(RunningEdge edge, Func<Edge.Server.FanOut.FanOutCounters, long> read)
    {
        long total = 0;
        foreach (var loop in edge.Host.FanOut.Loops)
        {
            total += read(loop.Counters);
        }

        return total;
    }
}
