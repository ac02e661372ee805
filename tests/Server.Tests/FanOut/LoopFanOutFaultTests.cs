using Edge.Protocol.Client;
using Edge.Server.Metrics;
using Edge.Server.Tests.Auth;

namespace Edge.Server.Tests.FanOut;

/// <summary>
/// A fault while serving one session (here: its connection cannot take a frame) is counted and skipped: the loop's
/// consumer keeps advancing, so it never stalls the ring and ingest, and the other sessions keep their updates.
/// The loop is an embedded one, so each drain runs on the test thread at a known point.
/// </summary>
public sealed class LoopFanOutFaultTests
{
    private const string Symbol = "EUR/USD";

    [Test]
    public void A_session_that_throws_is_skipped_and_counted_and_the_loop_keeps_consuming()
    {
        var metrics = new MetricsRegistry();
        var logger = new CapturingLogger<ErrorLog>();
        var errors = new ErrorLog(metrics, logger);
        using var fanOut = new EmbeddedFanOut(new NeverSlowConsumers(), errors: errors);
        var loop = fanOut.Loop;
        // The broken session comes first in the symbol's subscriber list, so its fault happens before the healthy one is served.
        var broken = fanOut.Connect(ClientEncoding.MessagePack, 0, [Symbol]);
        var healthy = fanOut.Connect(ClientEncoding.MessagePack, 0, [Symbol]);
        broken.Transport.CorkFault = new InvalidOperationException("no buffer for this connection");

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
        Assert.That(broken.Transport.Writes, Is.Empty);
        // The faulted events skipped the healthy session; the loop itself is fine: take the broken one out and it is served.
        loop.Unregister(broken.Session);
        fanOut.Publish(Symbol, Updates + 1);
        Assert.That(healthy.Transport.Sequences(), Is.EqualTo(new ulong[] { Updates + 1 }));
        Assert.That(loop.Counters.Exceptions, Is.EqualTo(Updates), "no fault once the broken session is gone");
    }
}
