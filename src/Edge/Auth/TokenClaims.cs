namespace Edge.Server.Auth;

/// <summary>The payload claims Edge reads itself, with their JSON types checked. See <see cref="TokenClaimsReader"/>.</summary>
internal readonly struct TokenClaims
{
    public TokenClaims(string? subject, string? tenant, bool isAdmin, long? expires, long? notBefore)
    {
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

    public bool IsAdmin { get; }

    /// <summary><c>exp</c> in unix seconds (fractions dropped); null when absent.</summary>
    public long? Expires { get; }

    /// <summary><c>nbf</c> in unix seconds (fractions dropped); null when absent.</summary>
    public long? NotBefore { get; }
}
