using Edge.Protocol.Client;

namespace Edge.Server.Tests.FanOut;

/// <summary>
/// The inline frame stage encodes each price as the receive thread publishes it, but publishes its position and
/// wakes the loops only at the end of the receive batch (or after <c>PriceIngest.MaxBatch</c> messages): one drain
/// and one write per batch instead of one per message. The loop is an embedded one, so drains run on the test thread.
/// </summary>
public sealed class InlineFrameStageBatchTests
{
    private const string Symbol = "EUR/USD";

    [Test]
    public void The_loops_are_woken_once_per_batch_and_a_long_batch_ends_by_itself()
    {
        using var rig = new EmbeddedFanOut(new NeverSlowConsumers());
        var fanOut = rig.Service;
        var loopOwner = rig.LoopOwner;
        var loop = rig.Loop;
        Assert.That(fanOut.StageProcessor, Is.Null, "the stage runs inline by default");
        var client = rig.Connect(ClientEncoding.MessagePack, 0, [Symbol]);

        const int Batch = 10;
        for (var i = 1; i <= Batch; i++)
        {
            rig.Ingest(Symbol, (ulong)i);
        }

        loopOwner.RunPendingTasks();
        Assert.That(loop.Consumed.Value, Is.EqualTo(-1), "nothing reaches the loop before the batch ends");
        Assert.That(fanOut.Stage.Encoded.Value, Is.EqualTo(-1));

        fanOut.Ingest.OnBatchEnd();
        loopOwner.RunPendingTasks();
        Assert.That(loop.Consumed.Value, Is.EqualTo(fanOut.Ring.Cursor), "the batch's end hands over all of it");
        Assert.That(loop.Counters.Drains, Is.EqualTo(1), "one wake-up, one drain for the whole batch");
        Assert.That(loop.Counters.Events, Is.EqualTo(Batch));
        Assert.That(loop.Counters.Writes, Is.EqualTo(1), "the batch's frames corked into one write");
        Assert.That(client.Transport.Writes, Has.Count.EqualTo(1));
        Assert.That(loop.Counters.Deliveries, Is.EqualTo(Batch));
        Assert.That(rig.Metrics.Render(), Does.Contain("edge_ingest_to_written_seconds_count 1\n"), "one decode-to-written time per drain");

        fanOut.Ingest.OnBatchEnd();
        loopOwner.RunPendingTasks();
        Assert.That(loop.Counters.Drains, Is.EqualTo(1), "an empty batch wakes nobody");

        var before = fanOut.Ring.Cursor;
        for (var i = 0; i < fanOut.Ingest.MaxBatch; i++)
        {
            rig.Ingest(Symbol, (ulong)(Batch + 1 + i));
        }

        loopOwner.RunPendingTasks();
        Assert.That(fanOut.Ring.Cursor, Is.EqualTo(before + fanOut.Ingest.MaxBatch));
        Assert.That(loop.Consumed.Value, Is.EqualTo(fanOut.Ring.Cursor), "a batch of MaxBatch messages ends by itself");
    }
}
