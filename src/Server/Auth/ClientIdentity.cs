namespace Edge.Server.Auth;

/// <summary>
/// Who is on a connection, as proven by a validated token. Immutable; holds no token material.
/// </summary>
public sealed class ClientIdentity
{
    public ClientIdentity(string subject, string tenant, long expiresAtUnixSeconds, bool isAdmin, bool isAllTenantsAdmin, string? keyId)
    {
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(tenant);
        Subject = subject;
        Tenant = tenant;
        ExpiresAtUnixSeconds = expiresAtUnixSeconds;
        IsAdmin = isAdmin || isAllTenantsAdmin;
        IsAllTenantsAdmin = isAllTenantsAdmin;
        KeyId = keyId;
    }

    /// <summary>The token's <c>sub</c>: the user id.</summary>
    public string Subject { get; }

    /// <summary>The tenant claim (<see cref="AuthOptions.TenantClaim"/>).</summary>
    public string Tenant { get; }

    /// <summary>The token's <c>exp</c> in unix seconds.</summary>
    public long ExpiresAtUnixSeconds { get; }

    /// <summary>The token's <c>exp</c>.</summary>
    public DateTimeOffset ExpiresAt => DateTimeOffset.FromUnixTimeSeconds(ExpiresAtUnixSeconds);

    /// <summary>
    /// True when the token's scope claim holds <see cref="AuthOptions.AdminScope"/> (operator of its own
    /// <see cref="Tenant"/>) or <see cref="AuthOptions.AllTenantsAdminScope"/>.
    /// </summary>
    public bool IsAdmin { get; }

    /// <summary>True when the token's scope claim holds <see cref="AuthOptions.AllTenantsAdminScope"/>: operator of every tenant.</summary>
    public bool IsAllTenantsAdmin { get; }

    /// <summary>True when this identity may act as operator on <paramref name="tenant"/>: an admin of that tenant, or of all.</summary>
    public bool MayAdminister(string tenant) =>
        IsAllTenantsAdmin || (IsAdmin && string.Equals(Tenant, tenant, StringComparison.Ordinal));

    /// <summary>The <c>kid</c> of the key that verified the token, when it had one (not secret; for logs).</summary>
    public string? KeyId { get; }

    /// <summary>
    /// True when <paramref name="other"/> is the same principal: same subject and same tenant (ordinal).
    /// A token refresh on a live connection must keep both.
    /// </summary>
    public bool IsSamePrincipal(ClientIdentity other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return string.Equals(Subject, other.Subject, StringComparison.Ordinal)
            && string.Equals(Tenant, other.Tenant, StringComparison.Ordinal);
    }

    public override string ToString() => $"sub={Subject} tenant={Tenant} exp={ExpiresAtUnixSeconds} admin={IsAdmin} allTenants={IsAllTenantsAdmin}";
}
