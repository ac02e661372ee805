using Edge.EndToEnd.Tests.Support;
using Edge.Protocol.Client;

namespace Edge.EndToEnd.Tests.Sessions;

/// <summary>
/// The subscribe/snapshot race: a client subscribes and unsubscribes again and again while the feed updates the
/// symbol as fast as it can. Every time, the snapshot comes before any update of the symbol, no update is older
/// than the snapshot, updates are strictly increasing, and none arrives after the unsubscribe is acknowledged.
/// </summary>
public sealed class SnapshotOrderingTests
{
    private const string Symbol = "BTC/USD";
    // Three commands per cycle: within the default burst of 100, so none is rate limited.
    private const int Cycles = 30;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [TestCase(ClientEncoding.MessagePack)]
    [TestCase(ClientEncoding.Json)]
    public async Task Snapshots_come_first_and_updates_never_go_back_while_the_feed_races_the_subscribes(ClientEncoding encoding)
    {
        await using var edge = await RunningEdge.StartAsync();
        using var feed = await edge.FeedAsync(Symbol, 67_000, 67_010);

        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("racer", "acme", TimeSpan.FromMinutes(5)), encoding);
        await client.ReceiveAsync(ServerMessageType.Connected);
        using var stopFeed = new CancellationTokenSource(Bound);
        var publishing = Task.Run(() => PublishUntilStopped(feed, stopFeed.Token));
        var updatesSeen = 0;
        try
        {
            for (var cycle = 0; cycle < Cycles; cycle++)
            {
                updatesSeen += await SubscribeCycleAsync(client);
            }
        }
        finally
        {
            await stopFeed.CancelAsync();
        }

        var published = await publishing;
        Assert.That(published, Is.GreaterThan(1UL));
        Assert.That(updatesSeen, Is.GreaterThan(0), "updates raced the snapshots");
    }

    /// <summary>One subscribe … unsubscribe round; returns the number of updates seen in it.</summary>
    private static async Task<int> SubscribeCycleAsync(MarketDataClient client)
    {
        var subscribeId = await client.SubscribeAsync(Symbol);
        ulong? snapshot = null;
        var acked = false;
        var updates = 0;
        ulong last = 0;
        // Read until the snapshot and a couple of updates after it, then unsubscribe.
        while (snapshot is null || updates < 2)
        {
            var message = await NextAsync(client);
            switch (message.Type)
            {
                case ServerMessageType.Ack:
                    Assert.That(message.Id, Is.EqualTo(subscribeId));
                    Assert.That(message.Symbols, Is.EqualTo(new[] { Symbol }));
                    acked = true;
                    break;
                case ServerMessageType.Snapshot:
                    Assert.That(acked, Is.True, "the ack comes before the snapshot");
                    snapshot = last = message.Prices!.Single().Sequence;
                    break;
                case ServerMessageType.Price:
                    Assert.That(snapshot, Is.Not.Null, "no update of a newly subscribed symbol before its snapshot");
                    Assert.That(message.Price!.Sequence, Is.GreaterThan(last), "never an older or repeated price");
                    last = message.Price.Sequence;
                    updates++;
                    break;
            }
        }

        var unsubscribeId = await client.UnsubscribeAsync(Symbol);
        while (true)
        {
            var message = await NextAsync(client);
            if (message.Type == ServerMessageType.Price)
            {
                Assert.That(message.Price!.Sequence, Is.GreaterThan(last), "still in order until the unsubscribe is done");
                last = message.Price.Sequence;
                updates++;
            }
            else if (message.Type == ServerMessageType.Ack && message.Id == unsubscribeId)
            {
                break;
            }
        }

        // Anything after the unsubscribe ack would be a leak: a ping's pong marks the end of what is in flight.
        var pingId = await client.PingAsync();
        while (true)
        {
            var message = await NextAsync(client);
            Assert.That(message.Type, Is.Not.EqualTo(ServerMessageType.Price), "no update after the unsubscribe ack");
            if (message.Type == ServerMessageType.Pong && message.Id == pingId)
            {
                return updates;
            }
        }
    }

    private static async Task<ServerMessage> NextAsync(MarketDataClient client)
    {
        var message = await client.ReceiveAsync();
        Assert.That(message, Is.Not.Null, "the connection stays open");
        Assert.That(message!.Type, Is.Not.EqualTo(ServerMessageType.Error), () => "error " + message.Code);
        return message;
    }

    /// <summary>Publishes increasing sequences until stopped (bounded by the token's time).</summary>
    private static ulong PublishUntilStopped(UpstreamFeed feed, CancellationToken stop)
    {
        var sequence = 1UL;
        while (!stop.IsCancellationRequested)
        {
            sequence++;
            feed.Publish(Symbol, 67_000 + (sequence % 500), 67_010 + (sequence % 500), sequence);
            if (sequence % 256 == 0)
            {
                // Leave the loops some air on a 2-core machine; the race is still constant.
                Thread.Sleep(1);
            }
        }

        return sequence;
    }
}
