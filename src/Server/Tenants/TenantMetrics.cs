using System.Collections.Concurrent;
using Edge.Server.Metrics;

namespace Edge.Server.Tenants;

/// <summary>
/// The per-tenant series, created the first time a tenant is met (a configured tenant, or an unknown one admitted
/// with the defaults). One set per tenant name: the tenant claim comes from validated tokens, so the number of
/// series is bounded by the tenants the token issuer knows. Thread-safe.
/// </summary>
public sealed class TenantMetrics
{
    private readonly MetricsRegistry _metrics;
    private readonly ConcurrentDictionary<string, TenantCounters> _byTenant = new(StringComparer.Ordinal);

    public TenantMetrics(MetricsRegistry metrics)
    {
        _metrics = metrics;
    }

    /// <summary>The tenant's counters (a dictionary look-up: call it per session or per event, not per price).</summary>
    public TenantCounters For(string tenant) =>
        _byTenant.GetOrAdd(tenant, static (name, metrics) => new TenantCounters(metrics, name), _metrics);
}
