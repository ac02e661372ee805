using Edge.Protocol.Client;
using Edge.Server.Metrics;

namespace Edge.Server.Tenants;

/// <summary>
/// One tenant's series at <c>/metrics</c>, labelled <c>tenant="NAME"</c>. They move at session and command
/// granularity only (a session opens or ends, a subscribe or unsubscribe, a refused command or symbol, a
/// slow-consumer close, an operator notice), never per delivered price. Thread-safe.
/// </summary>
public sealed class TenantCounters
{
    private static readonly int RefusalSlots = MaxErrorCode() + 1;

    private readonly MetricsRegistry _metrics;
    private readonly string _tenant;
    private readonly Counter?[] _symbolRefusals = new Counter?[RefusalSlots];

    internal TenantCounters(MetricsRegistry metrics, string tenant)
    {
        _metrics = metrics;
        _tenant = tenant;
        var labels = MetricLabels.Of("tenant", tenant);
        Sessions = metrics.Gauge("edge_tenant_sessions", "Market-data sessions open now, by tenant.", labels);
        Subscriptions = metrics.Gauge("edge_tenant_subscriptions", "Subscriptions held now, by tenant.", labels);
        RateLimited = metrics.Counter("edge_tenant_rate_limited_total", "Client commands refused by the rate limit, by tenant.", labels);
        SlowConsumerCloses = metrics.Counter("edge_tenant_slow_consumer_closes_total", "Clients closed as slow consumers (WebSocket 4008, SSE stream cut), by tenant.", labels);
        SseStreams = metrics.Gauge("edge_tenant_sse_streams", "SSE market-data streams open now, by tenant.", labels);
        Notices = metrics.Counter("edge_tenant_notices_total", "Operator notices queued to clients by POST /admin/broadcast, by tenant.", labels);
    }

    public string Tenant => _tenant;

    public Gauge Sessions { get; }

    public Gauge Subscriptions { get; }

    public Counter RateLimited { get; }

    public Counter SlowConsumerCloses { get; }

    /// <summary>SSE streams open now (WebSocket sessions are in <see cref="Sessions"/>).</summary>
    public Gauge SseStreams { get; }

    public Counter Notices { get; }

    /// <summary>Symbols of subscribe requests refused for <paramref name="code"/> (FORBIDDEN_SYMBOL is the entitlement check).</summary>
    public Counter SymbolRefusals(ErrorCode code)
    {
        var slot = (int)code;
        if ((uint)slot >= (uint)_symbolRefusals.Length)
        {
            slot = 0;
        }

        // Created on first use; two threads racing get the same series from the registry.
        return _symbolRefusals[slot] ??= _metrics.Counter(
            "edge_tenant_symbol_refusals_total",
            "Symbols refused in subscribe requests, by tenant and reason.",
            MetricLabels.Of("tenant", _tenant, "reason", ErrorCodes.WireName(code)));
    }

    private static int MaxErrorCode()
    {
        var max = 0;
        foreach (var code in Enum.GetValues<ErrorCode>())
        {
            max = Math.Max(max, (int)code);
        }

        return max;
    }
}
