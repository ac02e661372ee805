using System.Security.Cryptography;
using Edge.Server.Auth.Keys;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Edge.Server.Auth;

/// <summary>
/// Issues HS256 tokens for demo mode and tests. Not for production: whoever holds the secret can mint any
/// identity. Takes issuer, audience and claim names from the same <see cref="AuthOptions"/> the validator uses;
/// add <see cref="SigningKey"/> to <see cref="AuthOptions.Keys"/> so the validator trusts what it issues.
/// </summary>
public sealed class DevTokenIssuer
{
    public const string DefaultKid = "edge-dev";

    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly SigningCredentials _credentials;
    private readonly string _issuer;
    private readonly string _audience;
    private readonly string _tenantClaim;
    private readonly string _scopeClaim;
    private readonly string _adminScope;
    private readonly string _allTenantsAdminScope;
    private readonly TimeProvider _timeProvider;

    /// <param name="options">Issuer, Audience, TenantClaim, ScopeClaim, AdminScope and AllTenantsAdminScope are used.</param>
    /// <param name="secretBase64">The HS256 secret (base64, at least 32 bytes); null generates a random one.</param>
    /// <param name="kid">Key id put in the token header and in <see cref="SigningKey"/>.</param>
    /// <param name="timeProvider">Clock for <c>iat</c>/<c>nbf</c>/<c>exp</c>.</param>
    public DevTokenIssuer(AuthOptions options, string? secretBase64 = null, string kid = DefaultKid, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Issuer, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Audience, nameof(options));
        ArgumentException.ThrowIfNullOrWhiteSpace(kid);
        byte[] secret;
        if (secretBase64 is null)
        {
            secret = RandomNumberGenerator.GetBytes(SigningKeyLoader.MinHmacKeyBytes);
        }
        else
        {
            var errors = new List<string>();
            secret = SigningKeyLoader.DecodeSecret(secretBase64, "dev secret", errors) ?? throw new AuthConfigurationException(errors);
        }

        SecretBase64 = Convert.ToBase64String(secret);
        Kid = kid;
        _credentials = new SigningCredentials(new SymmetricSecurityKey(secret) { KeyId = kid }, SecurityAlgorithms.HmacSha256);
        _issuer = options.Issuer;
        _audience = options.Audience;
        _tenantClaim = options.TenantClaim;
        _scopeClaim = options.ScopeClaim;
        _adminScope = options.AdminScope;
        _allTenantsAdminScope = options.AllTenantsAdminScope;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    public string Kid { get; }

    /// <summary>The HS256 secret, base64. Dev only: print it for demo clients, never ship it.</summary>
    public string SecretBase64 { get; }

    /// <summary>The key entry that makes a <see cref="JwtValidator"/> trust this issuer's tokens.</summary>
    public AuthKeyOptions SigningKey => new() { Kid = Kid, Algorithm = SigningAlgorithms.HS256, Secret = SecretBase64 };

    /// <summary>A fresh random 256-bit secret, base64 (for <c>Auth:Keys:N:Secret</c>).</summary>
    public static string GenerateSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(SigningKeyLoader.MinHmacKeyBytes));

    /// <summary>Issues a token for <paramref name="subject"/> in <paramref name="tenant"/>, valid from now for <paramref name="lifetime"/>.</summary>
    /// <param name="subject">The <c>sub</c> claim (user id).</param>
    /// <param name="tenant">The tenant claim.</param>
    /// <param name="lifetime">Time from now to <c>exp</c>.</param>
    /// <param name="isAdmin">Adds the admin scope to the scope claim (operator of <paramref name="tenant"/>).</param>
    /// <param name="allTenants">Adds the all-tenants admin scope instead (operator of every tenant).</param>
    public string Issue(string subject, string tenant, TimeSpan lifetime, bool isAdmin = false, bool allTenants = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(tenant);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var now = _timeProvider.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [JwtRegisteredClaimNames.Sub] = subject,
            [_tenantClaim] = tenant,
        };
        if (allTenants)
        {
            claims[_scopeClaim] = _allTenantsAdminScope;
        }
        else if (isAdmin)
        {
            claims[_scopeClaim] = _adminScope;
        }

        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _issuer,
            Audience = _audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = claims,
            SigningCredentials = _credentials,
        });
    }
}
