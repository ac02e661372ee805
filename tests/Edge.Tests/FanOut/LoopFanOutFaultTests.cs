using DotNetty.Buffers;
using DotNetty.Transport.Channels.Embedded;
using Edge.Ingest.Symbols;
using Edge.Protocol;
using Edge.Protocol.Client;
using Edge.Protocol.Ingest;
using Edge.Server.FanOut;
using Edge.Server.Metrics;
using Edge.Server.Tests.Auth;

namespace Edge.Server.Tests.FanOut;

/// <summary>
/// A fault while serving one session (here: its channel cannot get a buffer) is counted and skipped: the loop's
/// consumer keeps advancing, so it never stalls the ring and ingest, and the other sessions keep their updates.
/// The loop is an embedded one, so each drain runs on the test thread at a known point.
/// </summary>
public sealed class LoopFanOutFaultTests
{
    private const string Symbol = "EUR/USD";

    [Test]
    public void A_session_that_throws_is_skipped_and_counted_and_the_loop_keeps_consuming()
    {
        var loopOwner = new EmbeddedChannel();
        var healthy = new EmbeddedChannel();
        var broken = new EmbeddedChannel();
        broken.Configuration.Allocator = new FailingAllocator();
        var symbols = new NameTable(16);
        var symbolId = symbols.GetOrAdd(System.Text.Encoding.UTF8.GetBytes(Symbol));
        var metrics = new MetricsRegistry();
        var logger = new CapturingLogger<ErrorLog>();
        var errors = new ErrorLog(metrics, logger);
        using var fanOut = new FanOutService(new FanOutOptions(), [loopOwner.EventLoop], symbols, new NameTable(16), metrics, new NeverSlowConsumers(), errors);
        try
        {
            var loop = fanOut.Loops[0];
            // The broken session comes first in the symbol's subscriber list, so its fault happens before the healthy one is served.
            var brokenSession = new FanOutSession(broken, ClientEncoding.MessagePack, "t");
            var healthySession = new FanOutSession(healthy, ClientEncoding.MessagePack, "t");
            loop.Register(brokenSession);
            loop.Register(healthySession);
            loop.Subscribe(brokenSession, symbolId, 0);
            loop.Subscribe(healthySession, symbolId, 0);

            const int Updates = 3;
            for (var i = 1; i <= Updates; i++)
            {
                Publish(fanOut, loopOwner, (ulong)i);
            }

            Assert.That(loop.Consumed.Value, Is.EqualTo(fanOut.Ring.Cursor), "the loop consumed every event despite the faults");
            Assert.That(loop.Counters.Exceptions, Is.EqualTo(Updates), "one fault counted per event");
            Assert.That(errors.Snapshot().Single().Count, Is.EqualTo(Updates), "the error log has the kind, counted per event");
            Assert.That(logger.Entries, Has.Count.EqualTo(1), "and logged it once");
            Assert.That(metrics.Render(), Does.Contain("edge_errors_total{source=\"fan-out\","));
            Assert.That(broken.ReadOutbound<IByteBuffer>(), Is.Null);
            // The faulted events skipped the healthy session; the loop itself is fine: take the broken one out and it is served.
            loop.Unregister(brokenSession);
            Publish(fanOut, loopOwner, Updates + 1);
            var frames = 0;
            while (healthy.ReadOutbound<IByteBuffer>() is { } written)
            {
                frames++;
                written.Release();
            }

            Assert.That(frames, Is.GreaterThanOrEqualTo(1));
            Assert.That(loop.Counters.Exceptions, Is.EqualTo(Updates), "no fault once the broken session is gone");
        }
        finally
        {
            healthy.FinishAndReleaseAll();
            broken.FinishAndReleaseAll();
            loopOwner.FinishAndReleaseAll();
        }
    }

    private static void Publish(FanOutService fanOut, EmbeddedChannel loopOwner, ulong sequenceNumber)
    {
        var message = new byte[IngestSchema.MaxMessageLength];
        var quote = new Quote(1.08 + sequenceNumber * 0.0001, 1_000_000, 1.09, 2_000_000, 1_700_000_000_000_000_000, sequenceNumber);
        var length = IngestPriceEncoder.Encode(message, Symbol, "LP1", "LP2", quote);
        // What the receive thread does with the stage inline: publish and encode, then at the batch's end publish the
        // stage's position and wake the loops; then run the loop's queue.
        fanOut.Ingest.OnMessage(message.AsSpan(0, length));
        fanOut.Ingest.OnBatchEnd();
        loopOwner.RunPendingTasks();
    }
}
