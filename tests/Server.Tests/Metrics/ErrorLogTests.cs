using Edge.Server.Metrics;
using Edge.Server.Tests.Auth;

namespace Edge.Server.Tests.Metrics;

public sealed class ErrorLogTests
{
    [Test]
    public void Each_kind_is_logged_once_and_counted_every_time_with_first_and_last_seen()
    {
        var metrics = new MetricsRegistry();
        var logger = new CapturingLogger<ErrorLog>();
        var time = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        var errors = new ErrorLog(metrics, logger, time);

        for (var i = 0; i < 1000; i++)
        {
            errors.Record("ingest", new InvalidOperationException("handler bug " + i));
            time.Now += TimeSpan.FromMilliseconds(1);
        }

        errors.Record("fan-out", new InvalidOperationException("another place"));
        errors.Record("ingest", new FormatException("another type"));

        Assert.That(logger.Entries, Has.Count.EqualTo(3), "one line per kind: where it was caught and its type");
        Assert.That(logger.Entries[0], Does.Contain("ingest: first InvalidOperationException").And.Contain("handler bug 0"));
        var text = metrics.Render();
        Assert.That(text, Does.Contain("edge_errors_total{source=\"ingest\",type=\"InvalidOperationException\"} 1000\n"));
        Assert.That(text, Does.Contain("edge_errors_total{source=\"fan-out\",type=\"InvalidOperationException\"} 1\n"));
        Assert.That(text, Does.Contain("edge_errors_total{source=\"ingest\",type=\"FormatException\"} 1\n"));
        Assert.That(text, Does.Contain("edge_error_first_seen_seconds{source=\"ingest\",type=\"InvalidOperationException\"} 1800000000\n"));
        Assert.That(text, Does.Contain("edge_error_last_seen_seconds{source=\"ingest\",type=\"InvalidOperationException\"} 1800000000.999\n"));
        var first = errors.Snapshot()[0];
        Assert.That(first.FirstMessage, Is.EqualTo("handler bug 0"));
        Assert.That(first.Count, Is.EqualTo(1000));
    }

    [Test]
    public void Kinds_beyond_the_bound_are_counted_together_and_logged_once()
    {
        var metrics = new MetricsRegistry();
        var logger = new CapturingLogger<ErrorLog>();
        var errors = new ErrorLog(metrics, logger);

        for (var i = 0; i < ErrorLog.MaxDistinct + 10; i++)
        {
            errors.Record("source-" + i, new InvalidOperationException("x"));
        }

        Assert.That(logger.Entries, Has.Count.EqualTo(ErrorLog.MaxDistinct + 1));
        Assert.That(metrics.Render(), Does.Contain("edge_errors_total{source=\"any\",type=\"other\"} 10\n"));
        Assert.That(errors.Snapshot(), Has.Count.EqualTo(ErrorLog.MaxDistinct + 1));
    }

    [Test]
    public void Threads_recording_at_once_lose_no_count()
    {
        var metrics = new MetricsRegistry();
        var errors = new ErrorLog(metrics, new CapturingLogger<ErrorLog>());
        var exception = new InvalidOperationException("shared");

        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                errors.Record("ingest", exception);
            }
        });

        Assert.That(errors.Snapshot().Single().Count, Is.EqualTo(80_000));
    }
}
