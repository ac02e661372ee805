using Edge.Protocol.Client;
using Edge.Server.FanOut;

namespace Edge.Server.Tests.FanOut;

/// <summary>The frame stage run inline on the publishing thread: no stage thread, and the same deliveries.</summary>
public sealed class InlineFrameStageTests
{
    private static readonly string[] Symbols = ["EUR/USD", "BTC/USD", "AAPL"];

    [Test]
    public async Task With_the_stage_inline_every_client_gets_its_snapshot_then_every_update_in_order_in_both_encodings()
    {
        await using var rig = new FanOutRig(new FanOutOptions { FrameStage = FanOutOptions.FrameStageInline });
        await rig.StartAsync();
        Assert.That(rig.Service.StageProcessor, Is.Null, "no ring consumer thread for the stage");
        foreach (var symbol in Symbols)
        {
            rig.Publish(symbol, 1, 2, 1);
        }

        await rig.WaitForFanOutAsync();
        using var binary = await FrameClient.SubscribeAsync(rig.EndPoint, ClientEncoding.MessagePack, string.Join(',', Symbols));
        using var json = await FrameClient.SubscribeAsync(rig.EndPoint, ClientEncoding.Json, "BTC/USD");
        Assert.That((await binary.ReadSnapshotAsync()).Count, Is.EqualTo(Symbols.Length));
        Assert.That((await json.ReadSnapshotAsync()).Single().Symbol, Is.EqualTo("BTC/USD"));

        const int Rounds = 300;
        for (var round = 2UL; round <= Rounds + 1; round++)
        {
            foreach (var symbol in Symbols)
            {
                rig.Publish(symbol, round + 0.1, round + 0.2, round);
            }
        }

        var last = Symbols.ToDictionary(s => s, _ => 1UL);
        for (var i = 0; i < Rounds * Symbols.Length; i++)
        {
            var price = await binary.ReadPriceAsync();
            Assert.That(price!.Sequence, Is.EqualTo(last[price.Symbol] + 1));
            Assert.That(price.Bid.Price, Is.EqualTo(price.Sequence + 0.1));
            last[price.Symbol] = price.Sequence;
        }

        for (var round = 2UL; round <= Rounds + 1; round++)
        {
            var price = await json.ReadPriceAsync();
            Assert.That(price!.Symbol, Is.EqualTo("BTC/USD"));
            Assert.That(price.Sequence, Is.EqualTo(round), "the JSON client too gets every update, in order");
        }
    }
}
