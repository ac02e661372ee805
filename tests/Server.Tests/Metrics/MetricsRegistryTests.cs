using Edge.Server.Metrics;

namespace Edge.Server.Tests.Metrics;

public sealed class MetricsRegistryTests
{
    [Test]
    public void Renders_counters_gauges_and_readings_in_prometheus_text()
    {
        var registry = new MetricsRegistry();
        registry.Counter("edge_x_total", "X things.", MetricLabels.Of("tenant", "acme")).Add(3);
        registry.Counter("edge_x_total", "X things.", MetricLabels.Of("tenant", "beta")).Increment();
        registry.Gauge("edge_open", "Open things.").Set(7);
        var external = 41L;
        registry.Observe("edge_read", "Read at scrape.", MetricType.Gauge, () => external + 1);

        var text = registry.Render();

        Assert.That(text, Does.Contain("# HELP edge_x_total X things.\n# TYPE edge_x_total counter\n"));
        Assert.That(text, Does.Contain("edge_x_total{tenant=\"acme\"} 3\n"));
        Assert.That(text, Does.Contain("edge_x_total{tenant=\"beta\"} 1\n"));
        Assert.That(text, Does.Contain("# TYPE edge_open gauge\nedge_open 7\n"));
        Assert.That(text, Does.Contain("edge_read 42\n"));
    }

    [Test]
    public void The_same_name_and_labels_give_the_same_counter()
    {
        var registry = new MetricsRegistry();

        var first = registry.Counter("edge_y_total", "Y.", MetricLabels.Of("reason", "short"));
        var second = registry.Counter("edge_y_total", "Y.", MetricLabels.Of("reason", "short"));

        Assert.That(second, Is.SameAs(first));
        Assert.Throws<InvalidOperationException>(() => registry.Gauge("edge_y_total", "Y."));
    }

    [Test]
    public void Histogram_buckets_are_cumulative_with_sum_and_count()
    {
        var registry = new MetricsRegistry();
        var histogram = registry.Histogram("edge_latency_seconds", "Latency.", [0.001, 0.01, 0.1]);
        histogram.Record(0.0005);
        histogram.Record(0.005);
        histogram.Record(0.005);
        histogram.Record(5);

        var text = registry.Render();

        Assert.That(text, Does.Contain("edge_latency_seconds_bucket{le=\"0.001\"} 1\n"));
        Assert.That(text, Does.Contain("edge_latency_seconds_bucket{le=\"0.01\"} 3\n"));
        Assert.That(text, Does.Contain("edge_latency_seconds_bucket{le=\"0.1\"} 3\n"));
        Assert.That(text, Does.Contain("edge_latency_seconds_bucket{le=\"+Inf\"} 4\n"));
        Assert.That(text, Does.Contain("edge_latency_seconds_count 4\n"));
        Assert.That(histogram.Sum, Is.EqualTo(5.0105).Within(1e-6));
    }

    [Test]
    public void Label_values_are_escaped()
    {
        Assert.That(MetricLabels.Of("t", "a\"b\\c\nd"), Is.EqualTo("t=\"a\\\"b\\\\c\\nd\""));
    }

    [Test]
    public void Concurrent_increments_are_not_lost()
    {
        var counter = new MetricsRegistry().Counter("edge_z_total", "Z.");

        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                counter.Increment();
            }
        });

        Assert.That(counter.Value, Is.EqualTo(400_000));
    }
}
