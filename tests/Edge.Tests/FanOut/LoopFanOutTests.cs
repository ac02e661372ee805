using Edge.Protocol.Client;
using Edge.Server.FanOut;
using static Edge.Tests.Shared.Eventually;

namespace Edge.Server.Tests.FanOut;

public sealed class LoopFanOutTests
{

    private static long Subscriptions(FanOutRig rig)
    {
        long total = 0;
        foreach (var loop in rig.Service.Loops)
        {
            total += loop.Counters.Subscriptions;
        }

        return total;
    }

    [Test]
    public async Task Every_subscriber_gets_its_snapshot_then_every_update_of_its_symbols_in_order()
    {
        await using var rig = new FanOutRig();
        await rig.StartAsync();
        rig.Publish("EUR/USD", 1.1, 1.2, 1);
        rig.Publish("BTC/USD", 50_000, 50_010, 1);
        rig.Publish("AAPL", 190.1, 190.2, 1);
        await rig.WaitForFanOutAsync();

        using var one = await FrameClient.SubscribeAsync(rig.EndPoint, ClientEncoding.MessagePack, "EUR/USD,BTC/USD");
        using var two = await FrameClient.SubscribeAsync(rig.EndPoint, ClientEncoding.Json, "BTC/USD,AAPL");
        using var three = await FrameClient.SubscribeAsync(rig.EndPoint, ClientEncoding.MessagePack, "AAPL");
        var snapshotOne = await one.ReadSnapshotAsync();
        var snapshotTwo = await two.ReadSnapshotAsync();
        var snapshotThree = await three.ReadSnapshotAsync();
        Assert.That(snapshotOne.Select(p => p.Symbol), Is.EquivalentTo(new[] { "EUR/USD", "BTC/USD" }));
        Assert.That(snapshotTwo.Select(p => p.Symbol), Is.EquivalentTo(new[] { "BTC/USD", "AAPL" }));
        Assert.That(snapshotThree.Single().Ask.Price, Is.EqualTo(190.2));

        const int Rounds = 1000;
        string[] symbols = ["EUR/USD", "BTC/USD", "AAPL"];
        var lastPublished = new Dictionary<string, double>();
        for (var round = 2; round <= Rounds + 1; round++)
        {
            foreach (var symbol in symbols)
            {
                // Bids that are not exact in binary, to check the bits survive the whole path.
                var bid = 100 + (round * 0.1) + symbol.Length;
                rig.Publish(symbol, bid, bid + 0.01, (ulong)round);
                lastPublished[symbol] = bid;
            }
        }

        await AssertReceivesAll(one, ["EUR/USD", "BTC/USD"], Rounds, lastPublished);
        await AssertReceivesAll(two, ["BTC/USD", "AAPL"], Rounds, lastPublished);
        await AssertReceivesAll(three, ["AAPL"], Rounds, lastPublished);
    }

    private static async Task AssertReceivesAll(FrameClient client, string[] symbols, int rounds, Dictionary<string, double> lastPublished)
    {
        var lastSequence = symbols.ToDictionary(s => s, _ => 1UL);
        var received = 0;
        while (received < symbols.Length * rounds)
        {
            var price = await client.ReadPriceAsync();
            Assert.That(price, Is.Not.Null, $"connection closed after {received} prices");
            Assert.That(lastSequence.ContainsKey(price!.Symbol), Is.True, $"{price.Symbol} was not subscribed");
            Assert.That(price.Sequence, Is.EqualTo(lastSequence[price.Symbol] + 1), $"{price.Symbol} in order, none missing");
            lastSequence[price.Symbol] = price.Sequence;
            if (price.Sequence == (ulong)rounds + 1)
            {
                Assert.That(BitConverter.DoubleToInt64Bits(price.Bid.Price), Is.EqualTo(BitConverter.DoubleToInt64Bits(lastPublished[price.Symbol])));
            }

            received++;
        }
    }

    [Test]
    public async Task A_rate_limited_subscription_is_conflated_and_still_gets_the_final_value()
    {
        await using var rig = new FanOutRig();
        await rig.StartAsync();
        rig.Publish("ETH/USD", 3000, 3001, 1);
        await rig.WaitForFanOutAsync();
        using var slow = await FrameClient.SubscribeAsync(rig.EndPoint, ClientEncoding.MessagePack, "ETH/USD", maxRate: 10);
        using var full = await FrameClient.SubscribeAsync(rig.EndPoint, ClientEncoding.MessagePack, "ETH/USD");
        await slow.ReadSnapshotAsync();
        await full.ReadSnapshotAsync();

        const int Updates = 500;
        for (var i = 2; i <= Updates + 1; i++)
        {
            rig.Publish("ETH/USD", 3000 + i, 3001 + i, (ulong)i);
        }

        var received = 0;
        ulong last = 1;
        while (last != Updates + 1)
        {
            var price = await slow.ReadPriceAsync();
            Assert.That(price, Is.Not.Null);
            Assert.That(price!.Sequence, Is.GreaterThan(last), "never an older price after a newer one");
            last = price.Sequence;
            received++;
        }

        Assert.That(received, Is.LessThan(Updates), "updates were conflated");
        for (var i = 0; i < Updates; i++)
        {
            Assert.That((await full.ReadPriceAsync())!.Sequence, Is.EqualTo((ulong)i + 2), "the unlimited subscriber got every update");
        }
    }

    [Test]
    public async Task A_stalled_client_is_conflated_then_closed_while_a_healthy_one_gets_everything()
    {
        var options = new FanOutOptions
        {
            WriteBufferHighWaterMark = 16 * 1024,
            WriteBufferLowWaterMark = 8 * 1024,
            SlowConsumerTimeoutSeconds = 1,
            SlowConsumerMaxQueuedBytes = 1024 * 1024,
        };
        await using var rig = new FanOutRig(options, serverSendBuffer: 8 * 1024);
        await rig.StartAsync();
        string[] symbols = ["S0", "S1", "S2", "S3", "S4", "S5", "S6", "S7"];
        foreach (var symbol in symbols)
        {
            rig.Publish(symbol, 1, 2, 1);
        }

        await rig.WaitForFanOutAsync();

        var all = string.Join(',', symbols);
        using var stalled = await FrameClient.SubscribeAsync(rig.EndPoint, ClientEncoding.MessagePack, all, receiveBuffer: 4096);
        using var healthy = await FrameClient.SubscribeAsync(rig.EndPoint, ClientEncoding.MessagePack, all);
        await stalled.ReadSnapshotAsync();
        await healthy.ReadSnapshotAsync();

        // Publish until the stalled client has been conflated and then closed (bounded); the healthy client
        // reads everything as it goes. Publishing goes on meanwhile: a client is only slow while there is
        // something it does not take.
        long Conflated() => rig.Service.Loops.Sum(l => l.Counters.Conflated);
        var round = 1UL;
        using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            var lastSeen = symbols.ToDictionary(s => s, _ => 1UL);
            while (rig.SlowConsumerCloses == 0 || round < 100)
            {
                Assert.That(budget.IsCancellationRequested || round > 1_000_000, Is.False, "the stalled client was never closed");
                round++;
                foreach (var symbol in symbols)
                {
                    rig.Publish(symbol, round, round + 1, round);
                }

                for (var i = 0; i < symbols.Length; i++)
                {
                    var price = await healthy.ReadPriceAsync();
                    Assert.That(price, Is.Not.Null);
                    Assert.That(price!.Sequence, Is.EqualTo(lastSeen[price.Symbol] + 1), "the healthy client gets every update in order");
                    lastSeen[price.Symbol] = price.Sequence;
                }
            }
        }

        Assert.That(rig.SlowConsumerCloses, Is.EqualTo(1));
        Assert.That(Conflated(), Is.GreaterThan(0), "the stalled client's updates were conflated before it was closed");
        rig.Publish("S0", 0.5, 0.6, round + 1);
        var after = await healthy.ReadPriceAsync();
        Assert.That(after!.Sequence, Is.EqualTo(round + 1), "the healthy client carries on after the close");
    }

    [Test]
    public async Task Disconnecting_releases_every_subscription()
    {
        await using var rig = new FanOutRig();
        await rig.StartAsync();
        rig.Publish("A", 1, 2, 1);
        rig.Publish("B", 1, 2, 1);
        await rig.WaitForFanOutAsync();
        var one = await FrameClient.SubscribeAsync(rig.EndPoint, ClientEncoding.MessagePack, "A,B");
        var two = await FrameClient.SubscribeAsync(rig.EndPoint, ClientEncoding.Json, "A");
        await one.ReadSnapshotAsync();
        await two.ReadSnapshotAsync();
        Assert.That(Subscriptions(rig), Is.EqualTo(3));
        Assert.That(rig.Service.Stage.JsonInUse, Is.True);

        one.Dispose();
        two.Dispose();

        await WaitUntilAsync(() => Subscriptions(rig) == 0, "all subscriptions are released");
        await WaitUntilAsync(() => !rig.Service.Stage.JsonInUse, "JSON encoding stops with the last JSON client");
        Assert.That(rig.Metrics.Render(), Does.Contain("edge_subscriptions 0"));
    }
}
