using System.Diagnostics;
using Edge.Ingest.Symbols;
using Edge.Protocol.Client;
using Edge.Server.FanOut;
using Edge.Server.Tenants;

namespace Edge.Server.Sessions;

/// <summary>
/// The rules every market-data subscription obeys, whatever the transport (WebSocket <c>subscribe</c>, SSE stream):
/// the tenant's entitlement, the symbol known to the symbol table, the tenant's subscription limit, and the update
/// interval from a requested max rate capped by the tenant's.
/// </summary>
public static class SubscriptionRules
{
    /// <summary>
    /// Null when <paramref name="symbol"/> may be subscribed (its id in <paramref name="symbolId"/>), else why not:
    /// <c>FORBIDDEN_SYMBOL</c>, <c>UNKNOWN_SYMBOL</c> or <c>SUBSCRIPTION_LIMIT</c> (<paramref name="held"/> are the
    /// session's current subscriptions; a symbol already held never hits the limit).
    /// </summary>
    public static ErrorCode? Check(TenantPolicy tenant, NameTable symbols, IReadOnlyDictionary<int, Subscription> held, string symbol, out int symbolId)
    {
        symbolId = -1;
        if (!tenant.IsEntitled(symbol))
        {
            return ErrorCode.ForbiddenSymbol;
        }

        symbolId = symbols.Find(symbol);
        if (symbolId < 0)
        {
            return ErrorCode.UnknownSymbol;
        }

        if (!held.ContainsKey(symbolId) && held.Count >= tenant.Options.MaxSubscriptionsPerClient)
        {
            return ErrorCode.SubscriptionLimit;
        }

        return null;
    }

    /// <summary>Stopwatch ticks between deliveries for a requested max rate (0 or null: as fast as allowed), capped by the tenant.</summary>
    public static long IntervalTicks(TenantPolicy tenant, int? requestedRate)
    {
        var tenantCap = tenant.Options.MaxUpdatesPerSecond;
        var rate = requestedRate is > 0 ? requestedRate.Value : 0;
        if (tenantCap > 0 && (rate == 0 || rate > tenantCap))
        {
            rate = tenantCap;
        }

        return rate > 0 ? Stopwatch.Frequency / rate : 0;
    }

    /// <summary>The human-readable text of a symbol refusal.</summary>
    public static string Describe(ErrorCode code) => code switch
    {
        ErrorCode.ForbiddenSymbol => "not entitled to this symbol",
        ErrorCode.UnknownSymbol => "no such symbol",
        ErrorCode.SubscriptionLimit => "subscription limit reached",
        ErrorCode.InvalidSymbol => "not a valid symbol",
        _ => "refused",
    };
}
