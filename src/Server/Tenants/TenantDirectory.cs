using System.Collections.Concurrent;

namespace Edge.Server.Tenants;

/// <summary>
/// The tenants Edge knows: the configured ones, and (when allowed) any other tenant met in a token, which gets
/// the default rules and its own counters. Thread-safe.
/// </summary>
public sealed class TenantDirectory
{
    private readonly TenancyOptions _options;
    private readonly ConcurrentDictionary<string, TenantPolicy> _tenants = new(StringComparer.Ordinal);

    public TenantDirectory(TenancyOptions options)
    {
        _options = options;
        foreach (var (name, tenant) in options.Tenants)
        {
            _tenants[name] = new TenantPolicy(name, tenant);
        }
    }

    public TenancyOptions Options => _options;

    /// <summary>The tenant's policy, or null when it is unknown and unknown tenants are refused.</summary>
    public TenantPolicy? Find(string tenant)
    {
        if (_tenants.TryGetValue(tenant, out var policy))
        {
            return policy;
        }

        return _options.AllowUnknownTenants ? _tenants.GetOrAdd(tenant, static (name, defaults) => new TenantPolicy(name, defaults), _options.Default) : null;
    }

    /// <summary>Every tenant met so far (for metrics).</summary>
    public ICollection<TenantPolicy> All => _tenants.Values;
}
