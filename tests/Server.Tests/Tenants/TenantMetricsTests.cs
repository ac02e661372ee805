using Edge.Protocol.Client;
using Edge.Server.Metrics;
using Edge.Server.Tenants;

namespace Edge.Server.Tests.Tenants;

public sealed class TenantMetricsTests
{
    [Test]
    public void Each_tenant_gets_its_own_series_once_and_they_render_with_the_tenant_label()
    {
        var registry = new MetricsRegistry();
        var metrics = new TenantMetrics(registry);

        var acme = metrics.For("acme");
        acme.Sessions.Increment();
        metrics.For("acme").Sessions.Increment();
        metrics.For("glo\"bex").RateLimited.Increment();
        acme.SymbolRefusals(ErrorCode.ForbiddenSymbol).Increment();
        acme.SymbolRefusals(ErrorCode.ForbiddenSymbol).Increment();
        var text = registry.Render();

        Assert.That(metrics.For("acme"), Is.SameAs(acme));
        Assert.That(text, Does.Contain("edge_tenant_sessions{tenant=\"acme\"} 2\n"));
        Assert.That(text, Does.Contain("edge_tenant_rate_limited_total{tenant=\"glo\\\"bex\"} 1\n"), "label values are escaped");
        Assert.That(text, Does.Contain("edge_tenant_symbol_refusals_total{tenant=\"acme\",reason=\"FORBIDDEN_SYMBOL\"} 2\n"));
        Assert.That(text, Does.Contain("# TYPE edge_tenant_subscriptions gauge"));
        Assert.That(text, Does.Contain("# TYPE edge_tenant_slow_consumer_closes_total counter"));
    }

    [Test]
    public void Counters_taken_from_many_threads_add_up()
    {
        var registry = new MetricsRegistry();
        var metrics = new TenantMetrics(registry);

        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                metrics.For("t" + (i % 4)).RateLimited.Increment();
            }
        });

        for (var t = 0; t < 4; t++)
        {
            Assert.That(metrics.For("t" + t).RateLimited.Value, Is.EqualTo(8 * 2_500));
        }
    }
}
