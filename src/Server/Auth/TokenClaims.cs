namespace Edge.Server.Auth;

/// <summary>The payload claims Edge reads itself, with their JSON types checked. See <see cref="TokenClaimsReader"/>.</summary>
internal readonly struct TokenClaims
{
    public TokenClaims(string? subject, string? tenant, bool isAdmin, bool isAllTenantsAdmin, long? expires, long? notBefore, long? issuedAt)
    {
        IsAllTenantsAdmin = isAllTenantsAdmin;
        IssuedAt = issuedAt;
        Subject = subject;
        Tenant = tenant;
        IsAdmin = isAdmin;
        Expires = expires;
        NotBefore = notBefore;
    }

    /// <summary><c>sub</c> when it is a JSON string; null otherwise.</summary>
    public string? Subject { get; }

    /// <summary>The tenant claim when it is a JSON string; null otherwise.</summary>
    public string? Tenant { get; }

    /// <summary>The scope claim holds the admin scope or the all-tenants admin scope.</summary>
    public bool IsAdmin { get; }

    /// <summary>The scope claim holds <see cref="AuthOptions.AllTenantsAdminScope"/>.</summary>
    public bool IsAllTenantsAdmin { get; }

    /// <summary><c>exp</c> in unix seconds (fractions dropped); null when absent.</summary>
    public long? Expires { get; }

    /// <summary><c>nbf</c> in unix seconds (fractions dropped); null when absent.</summary>
    public long? NotBefore { get; }

    /// <summary><c>iat</c> in unix seconds (fractions dropped); null when absent.</summary>
    public long? IssuedAt { get; }
}
