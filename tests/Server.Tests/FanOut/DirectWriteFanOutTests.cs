using Edge.Protocol.Client;
using Edge.Server.FanOut;

namespace Edge.Server.Tests.FanOut;

/// <summary>
/// The fan-out's direct socket writes over real loopback TCP: taken while the socket keeps up, handed to the
/// pipeline (in order) when it does not, and off when configured so.
/// </summary>
public sealed class DirectWriteFanOutTests
{
    private static readonly string[] Symbols = ["S0", "S1", "S2", "S3"];

    [TestCase(true)]
    [TestCase(false)]
    public async Task Every_update_arrives_in_order_with_direct_writes_on_or_off(bool directWrites)
    {
        await using var rig = new FanOutRig(new FanOutOptions { DirectWrites = directWrites });
        await rig.StartAsync();
        PublishRound(rig, 1);
        await rig.WaitForFanOutAsync();
        using var client = await FrameClient.SubscribeAsync(rig.EndPoint, ClientEncoding.MessagePack, string.Join(',', Symbols));
        await client.ReadSnapshotAsync();

        const int Rounds = 200;
        for (var round = 2UL; round <= Rounds + 1; round++)
        {
            PublishRound(rig, round);
        }

        var last = Symbols.ToDictionary(s => s, _ => 1UL);
        for (var i = 0; i < Rounds * Symbols.Length; i++)
        {
            var price = await client.ReadPriceAsync();
            Assert.That(price, Is.Not.Null);
            Assert.That(price!.Sequence, Is.EqualTo(last[price.Symbol] + 1), "every update, in order");
            last[price.Symbol] = price.Sequence;
        }

        var writes = rig.Service.Loops.Sum(l => l.Counters.Writes);
        var direct = rig.Service.Loops.Sum(l => l.Counters.DirectWrites);
        Assert.That(writes, Is.GreaterThan(0));
        if (directWrites)
        {
            // A client that keeps up never fills its socket: every corked write went straight to it.
            Assert.That(direct, Is.EqualTo(writes));
        }
        else
        {
            Assert.That(direct, Is.Zero);
        }
    }

    [Test]
    public async Task A_client_that_stops_reading_gets_the_rest_through_the_pipeline_in_order_ending_on_the_final_values()
    {
        var options = new FanOutOptions
        {
            WriteBufferHighWaterMark = 16 * 1024,
            WriteBufferLowWaterMark = 8 * 1024,
            SlowConsumerTimeoutSeconds = 600,
            SlowConsumerMaxQueuedBytes = 64 * 1024 * 1024,
        };
        await using var rig = new FanOutRig(options, serverSendBuffer: 8 * 1024);
        await rig.StartAsync();
        PublishRound(rig, 1);
        await rig.WaitForFanOutAsync();
        using var client = await FrameClient.SubscribeAsync(rig.EndPoint, ClientEncoding.MessagePack, string.Join(',', Symbols), receiveBuffer: 4096);
        await client.ReadSnapshotAsync();

        // The client reads nothing while prices flow until its socket is full, some cork went (partly) through the
        // pipeline, and the loop has conflated its updates (bounded in rounds and time).
        var round = 1UL;
        using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (rig.Service.Loops.Sum(l => l.Counters.Writes) == rig.Service.Loops.Sum(l => l.Counters.DirectWrites)
                || rig.Service.Loops.Sum(l => l.Counters.Conflated) == 0)
            {
                Assert.That(budget.IsCancellationRequested || round > 2_000_000, Is.False, "the client's socket never filled");
                round++;
                PublishRound(rig, round);
                if (round % 64 == 0)
                {
                    await rig.WaitForFanOutAsync();
                }
            }
        }

        round++;
        PublishRound(rig, round);
        await rig.WaitForFanOutAsync();

        // Now it reads everything: whole frames (no torn or interleaved bytes), per symbol strictly newer, ending on
        // the final round for every symbol.
        var last = Symbols.ToDictionary(s => s, _ => 1UL);
        while (last.Values.Any(sequence => sequence < round))
        {
            var price = await client.ReadPriceAsync();
            Assert.That(price, Is.Not.Null, "the connection stays open");
            Assert.That(price!.Sequence, Is.GreaterThan(last[price.Symbol]), "never older than what came before");
            last[price.Symbol] = price.Sequence;
        }

        Assert.That(last.Values, Is.All.EqualTo(round));
        Assert.That(rig.SlowConsumerCloses, Is.Zero);
    }

    private static void PublishRound(FanOutRig rig, ulong round)
    {
        foreach (var symbol in Symbols)
        {
            rig.Publish(symbol, round, round + 1, round);
        }
    }
}
