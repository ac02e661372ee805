using Edge.Server.Auth.Keys;
namespace Edge.Server.Auth;

/// <summary>
/// Token authentication settings (configuration section <c>Auth</c>). Plain get/set properties and
/// arrays/lists so the configuration binder source generator can bind it. Collections start empty
/// because the binder appends to existing array elements instead of replacing them.
/// Call <see cref="Validate()"/> at start-up; <see cref="JwtValidator"/> refuses options that have errors.
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";
    public const int DefaultClockSkewSeconds = 30;
    public const int DefaultJwksReloadSeconds = 30;
    public const int DefaultMaxTokenLength = 8192;

    /// <summary>Required <c>iss</c> value (exact, ordinal).</summary>
    public string? Issuer { get; set; }

    /// <summary>Required value in <c>aud</c> (exact, ordinal).</summary>
    public string? Audience { get; set; }

    /// <summary>Claim holding the tenant id.</summary>
    public string TenantClaim { get; set; } = "tenant";

    /// <summary>Claim holding the scopes: a space-separated string or an array of strings.</summary>
    public string ScopeClaim { get; set; } = "scope";

    /// <summary>Scope that grants the operator endpoint for the token's own tenant.</summary>
    public string AdminScope { get; set; } = "edge:admin";

    /// <summary>Scope that grants the operator endpoint for every tenant (an admin scope not bound to the token's tenant).</summary>
    public string AllTenantsAdminScope { get; set; } = "edge:admin:all-tenants";

    /// <summary>Tolerance applied to <c>exp</c>, <c>nbf</c> and <c>iat</c>, 0..300 s; a session ends at <c>exp</c> + this.</summary>
    public int ClockSkewSeconds { get; set; } = DefaultClockSkewSeconds;

    /// <summary>Subset of HS256, RS256, ES256 to accept; empty means all three. <c>none</c> is never accepted.</summary>
    public string[] AllowedAlgorithms { get; set; } = [];

    /// <summary>Statically configured keys.</summary>
    public List<AuthKeyOptions> Keys { get; set; } = [];

    /// <summary>Optional JWKS file (RFC 7517) with more keys, reloaded when it changes.</summary>
    public string? JwksFile { get; set; }

    /// <summary>How often the JWKS file's timestamp is polled; 0 disables reloading.</summary>
    public int JwksReloadSeconds { get; set; } = DefaultJwksReloadSeconds;

    /// <summary>Longest accepted token in characters, 256..65536.</summary>
    public int MaxTokenLength { get; set; } = DefaultMaxTokenLength;

    /// <summary>
    /// Every problem with these options, as configuration paths and plain explanations (empty when usable).
    /// Parses the keys (PEM, base64 secrets, the JWKS file) to catch them at start-up.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        _ = Validate(errors);
        return errors;
    }

    /// <summary>Adds every problem to <paramref name="errors"/>; returns the key ring when there is none.</summary>
    internal SigningKeyRing? Validate(List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(Issuer))
        {
            errors.Add("Auth:Issuer: required (the exact 'iss' of accepted tokens)");
        }

        if (string.IsNullOrWhiteSpace(Audience))
        {
            errors.Add("Auth:Audience: required (a value accepted tokens must have in 'aud')");
        }

        if (string.IsNullOrWhiteSpace(TenantClaim))
        {
            errors.Add("Auth:TenantClaim: required");
        }

        if (string.IsNullOrWhiteSpace(ScopeClaim))
        {
            errors.Add("Auth:ScopeClaim: required");
        }

        if (string.IsNullOrWhiteSpace(AdminScope) || AdminScope.Contains(' ', StringComparison.Ordinal))
        {
            errors.Add("Auth:AdminScope: required, one scope without spaces");
        }

        if (string.IsNullOrWhiteSpace(AllTenantsAdminScope) || AllTenantsAdminScope.Contains(' ', StringComparison.Ordinal)
            || string.Equals(AllTenantsAdminScope, AdminScope, StringComparison.Ordinal))
        {
            errors.Add("Auth:AllTenantsAdminScope: required, one scope without spaces, different from Auth:AdminScope");
        }

        if (ClockSkewSeconds is < 0 or > 300)
        {
            errors.Add($"Auth:ClockSkewSeconds: {ClockSkewSeconds} is outside 0..300");
        }

        if (JwksReloadSeconds is < 0 or > 86400)
        {
            errors.Add($"Auth:JwksReloadSeconds: {JwksReloadSeconds} is outside 0..86400 (0 disables reloading)");
        }

        if (MaxTokenLength is < 256 or > 65536)
        {
            errors.Add($"Auth:MaxTokenLength: {MaxTokenLength} is outside 256..65536");
        }

        var loaded = SigningKeyLoader.Load(this, errors);
        return errors.Count == 0 ? loaded : null;
    }
}
