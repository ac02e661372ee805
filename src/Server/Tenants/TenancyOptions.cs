namespace Edge.Server.Tenants;

/// <summary>Tenants from configuration (section <c>Tenancy</c>): who may connect and what each may see.</summary>
public sealed class TenancyOptions
{
    /// <summary>Named tenants; the tenant comes from the token's tenant claim.</summary>
    public Dictionary<string, TenantOptions> Tenants { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Entitlements and quotas for tenants not named in <see cref="Tenants"/>, when those are allowed.</summary>
    public TenantOptions Default { get; set; } = new();

    /// <summary>Admit tenants not listed, with <see cref="Default"/>. Off: an unknown tenant gets 403.</summary>
    public bool AllowUnknownTenants { get; set; } = true;

    /// <summary>Open connections one source IP address may hold, across tenants.</summary>
    public int MaxConnectionsPerIp { get; set; } = 10_000;

    public List<string> Validate()
    {
        var errors = new List<string>();
        Default.Validate("Default", errors);
        foreach (var (name, tenant) in Tenants)
        {
            tenant.Validate(name, errors);
        }

        if (MaxConnectionsPerIp < 1)
        {
            errors.Add($"Tenancy:MaxConnectionsPerIp must be at least 1 (got {MaxConnectionsPerIp}).");
        }

        return errors;
    }
}
