namespace Edge.Server.Tenants;

/// <summary>One tenant's entitlements and quotas (section <c>Tenancy:Tenants:NAME</c>, or <c>Tenancy:Default</c>).</summary>
public sealed class TenantOptions
{
    /// <summary>Symbols the tenant may subscribe to, by exact name. With <see cref="SymbolPrefixes"/> empty too: all.</summary>
    public List<string> Symbols { get; set; } = [];

    /// <summary>Symbol prefixes the tenant may subscribe to (e.g. <c>EUR/</c>, <c>BTC</c>).</summary>
    public List<string> SymbolPrefixes { get; set; } = [];

    /// <summary>Open connections (WebSocket and SSE) the tenant may hold at once.</summary>
    public int MaxConnections { get; set; } = 10_000;

    /// <summary>Subscriptions one connection may hold.</summary>
    public int MaxSubscriptionsPerClient { get; set; } = 100;

    /// <summary>Token bucket size for client commands (the burst a client may send at once).</summary>
    public int CommandBurst { get; set; } = 150;

    /// <summary>Token bucket refill: commands per second in the long run.</summary>
    public double CommandsPerSecond { get; set; } = 10;

    /// <summary>Default cap on updates per second per subscription (0: every update); a client may ask for less.</summary>
    public int MaxUpdatesPerSecond { get; set; }

    public void Validate(string name, List<string> errors)
    {
        if (MaxConnections < 1 || MaxSubscriptionsPerClient < 1 || CommandBurst < 1)
        {
            errors.Add($"Tenancy: tenant '{name}': MaxConnections, MaxSubscriptionsPerClient and CommandBurst must be at least 1.");
        }

        if (CommandsPerSecond <= 0 || double.IsNaN(CommandsPerSecond))
        {
            errors.Add($"Tenancy: tenant '{name}': CommandsPerSecond must be above 0.");
        }

        if (MaxUpdatesPerSecond < 0)
        {
            errors.Add($"Tenancy: tenant '{name}': MaxUpdatesPerSecond must be 0 (unlimited) or more.");
        }
    }
}
