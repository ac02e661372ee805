using System.Diagnostics;
using Edge.Protocol.Client;
using Edge.Server.FanOut;
using Edge.Server.Tenants;

namespace Edge.Server.Sessions;

/// <summary>
/// The rules every market-data subscription obeys, whatever the transport (WebSocket <c>subscribe</c>, SSE stream):
/// the tenant's entitlement, the tenant's subscription limit, the symbol known or admitted as pending, and the update
/// interval from a requested max rate capped by the tenant's.
/// </summary>
public static class SubscriptionRules
{
    /// <summary>
    /// Null when <paramref name="symbol"/> may be subscribed (its id in <paramref name="symbolId"/>; a symbol with no
    /// price yet is added as pending, see <see cref="SymbolAdmission"/>), else why not: <c>FORBIDDEN_SYMBOL</c>,
    /// <c>SUBSCRIPTION_LIMIT</c> or <c>UNKNOWN_SYMBOL</c>, with the text for the client in <paramref name="reason"/>
    /// (<paramref name="held"/> are the session's current subscriptions; a symbol already held never hits the limit).
    /// </summary>
    public static ErrorCode? Check(
        TenantPolicy tenant, SymbolAdmission symbols, IReadOnlyDictionary<int, Subscription> held, string symbol, out int symbolId, out string reason)
    {
        symbolId = -1;
        reason = string.Empty;
        if (!tenant.IsEntitled(symbol))
        {
            reason = Describe(ErrorCode.ForbiddenSymbol);
            return ErrorCode.ForbiddenSymbol;
        }

        // The limit first: a client at its limit adds nothing to the symbol table.
        var known = symbols.Symbols.Find(symbol);
        if ((known < 0 || !held.ContainsKey(known)) && held.Count >= tenant.Options.MaxSubscriptionsPerClient)
        {
            reason = Describe(ErrorCode.SubscriptionLimit);
            return ErrorCode.SubscriptionLimit;
        }

        symbolId = known >= 0 ? known : symbols.Resolve(symbol);
        if (symbolId >= 0)
        {
            return null;
        }

        reason = symbolId == SymbolAdmission.TableFull
            ? "no price yet, and too many symbols are waiting for their first: subscribe again once it trades"
            : "no such symbol (not priced yet, and not listed in Ingest:Symbols)";
        symbolId = -1;
        return ErrorCode.UnknownSymbol;
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
