using DotNetty.Buffers;
using DotNetty.Transport.Channels.Embedded;
using Edge.Protocol.Client;
using Edge.Server.FanOut;
using Edge.Server.Metrics;
using Edge.Server.Tests.Auth;
using Edge.Server.Transport;

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
        var healthy = new EmbeddedChannel();
        var broken = new EmbeddedChannel();
        broken.Configuration.Allocator = new FailingAllocator();
        var metrics = new MetricsRegistry();
        var logger = new CapturingLogger<ErrorLog>();
        var errors = new ErrorLog(metrics, logger);
        using var fanOut = new EmbeddedFanOut(new NeverSlowConsumers(), errors: errors);
        try
        {
            var loop = fanOut.Loop;
            var symbolId = fanOut.SymbolId(Symbol);
            // The broken session comes first in the symbol's subscriber list, so its fault happens before the healthy one is served.
            var brokenSession = new FanOutSession(new ChannelTransport(broken), ClientEncoding.MessagePack, "t");
            var healthySession = new FanOutSession(new ChannelTransport(healthy), ClientEncoding.MessagePack, "t");
            loop.Register(brokenSession);
            loop.Register(healthySession);
            loop.Subscribe(brokenSession, symbolId, 0);
            loop.Subscribe(healthySession, symbolId, 0);

            const int Updates = 3;
            for (var i = 1; i <= Updates; i++)
            {
                fanOut.Publish(Symbol, (ulong)i);
            }

            Assert.That(loop.Consumed.Value, Is.EqualTo(fanOut.Service.Ring.Cursor), "the loop consumed every event despite the faults");
            Assert.That(loop.Counters.Exceptions, Is.EqualTo(Updates), "one fault counted per event");
            Assert.That(errors.Snapshot().Single().Count, Is.EqualTo(Updates), "the error log has the kind, counted per event");
            Assert.That(logger.Entries, Has.Count.EqualTo(1), "and logged it once");
            Assert.That(metrics.Render(), Does.Contain("edge_errors_total{source=\"fan-out\","));
            Assert.That(broken.ReadOutbound<IByteBuffer>(), Is.Null);
            // The faulted events skipped the healthy session; the loop itself is fine: take the broken one out and it is served.
            loop.Unregister(brokenSession);
            fanOut.Publish(Symbol, Updates + 1);
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
        }
    }
}
