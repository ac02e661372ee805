using Edge.Protocol;
using Edge.Protocol.Client;

namespace Edge.Server.Tests.FanOut;

/// <summary>
/// What a loop's fan-out delivers to its sessions, over fake connections on an embedded loop: every update of the
/// subscribed symbols, in order, in each session's encoding, and nothing once a session is gone. The same path over
/// real TCP: <see cref="InlineFrameStageTests"/>, <see cref="DirectWriteFanOutTests"/> and the end-to-end tests;
/// its timing rules (rate limits, slow consumers): <see cref="LoopFanOutTimingTests"/>.
/// </summary>
public sealed class LoopFanOutTests
{
    [Test]
    public void Each_session_gets_the_latest_price_it_subscribed_at_then_every_update_of_its_symbols_in_order()
    {
        using var fanOut = new EmbeddedFanOut(new NeverSlowConsumers());
        string[] symbols = ["EUR/USD", "BTC/USD", "AAPL"];
        foreach (var symbol in symbols)
        {
            fanOut.Publish(symbol, 1);
        }

        List<BestPrice> snapshotOne = [], snapshotTwo = [], snapshotThree = [];
        var one = fanOut.Connect(ClientEncoding.MessagePack, 0, ["EUR/USD", "BTC/USD"], snapshotOne);
        var two = fanOut.Connect(ClientEncoding.Json, 0, ["BTC/USD", "AAPL"], snapshotTwo);
        var three = fanOut.Connect(ClientEncoding.MessagePack, 0, ["AAPL"], snapshotThree);
        Assert.That(snapshotOne.Select(p => p.Symbol), Is.EqualTo(new[] { "EUR/USD", "BTC/USD" }));
        Assert.That(snapshotTwo.Select(p => p.Symbol), Is.EqualTo(new[] { "BTC/USD", "AAPL" }), "JSON frames made for the first JSON client");
        Assert.That(snapshotThree.Single().Sequence, Is.EqualTo(1UL));

        const ulong LastRound = 201;
        for (var round = 2UL; round <= LastRound; round++)
        {
            foreach (var symbol in symbols)
            {
                fanOut.Publish(symbol, round);
            }
        }

        AssertEveryUpdate(one.Transport.Prices(ClientEncoding.MessagePack), ["EUR/USD", "BTC/USD"], LastRound);
        AssertEveryUpdate(two.Transport.Prices(ClientEncoding.Json), ["BTC/USD", "AAPL"], LastRound);
        AssertEveryUpdate(three.Transport.Prices(ClientEncoding.MessagePack), ["AAPL"], LastRound);
    }

    [Test]
    public void Unregistering_a_session_releases_every_subscription_and_nothing_more_is_written_to_it()
    {
        using var fanOut = new EmbeddedFanOut(new NeverSlowConsumers());
        fanOut.Publish("A", 1);
        fanOut.Publish("B", 1);
        var one = fanOut.Connect(ClientEncoding.MessagePack, 0, ["A", "B"]);
        var two = fanOut.Connect(ClientEncoding.Json, 0, ["A"]);
        Assert.That(fanOut.Loop.Counters.Subscriptions, Is.EqualTo(3));
        Assert.That(fanOut.Service.Stage.JsonInUse, Is.True);

        fanOut.Loop.Unregister(one.Session);
        fanOut.Loop.Unregister(two.Session);
        fanOut.Publish("A", 2);
        fanOut.Publish("B", 2);

        Assert.That(fanOut.Loop.Counters.Subscriptions, Is.Zero);
        Assert.That(fanOut.Loop.SessionCount, Is.Zero);
        Assert.That(fanOut.Service.Stage.JsonInUse, Is.False, "JSON encoding stops with the last JSON client");
        Assert.That(fanOut.Metrics.Render(), Does.Contain("edge_subscriptions 0"));
        Assert.That(one.Transport.Writes, Is.Empty);
        Assert.That(two.Transport.Writes, Is.Empty);
    }

    private static void AssertEveryUpdate(List<BestPrice> prices, string[] symbols, ulong lastRound)
    {
        var lastSequence = symbols.ToDictionary(s => s, _ => 1UL);
        foreach (var price in prices)
        {
            Assert.That(lastSequence.ContainsKey(price.Symbol), Is.True, $"{price.Symbol} was not subscribed");
            Assert.That(price.Sequence, Is.EqualTo(lastSequence[price.Symbol] + 1), $"{price.Symbol} in order, none missing");
            Assert.That(
                BitConverter.DoubleToInt64Bits(price.Bid.Price),
                Is.EqualTo(BitConverter.DoubleToInt64Bits(EmbeddedFanOut.BidOf(price.Sequence))),
                "the bits survive the whole path");
            lastSequence[price.Symbol] = price.Sequence;
        }

        Assert.That(lastSequence.Values, Is.All.EqualTo(lastRound));
    }
}
