using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Edge.Perf.Target;

/// <summary>
/// Mints the HS256 tokens the tool's clients present, with a secret the target Edge trusts (a started Edge is given
/// it as <c>Auth:Keys:0</c>). Same claims as Edge's development tokens: sub, tenant, iss, aud, iat, nbf, exp.
/// </summary>
internal static class TokenMinter
{
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Issue(string secretBase64, string kid, string issuer, string audience, string tenant, TimeSpan lifetime)
    {
        var key = new SymmetricSecurityKey(Convert.FromBase64String(secretBase64)) { KeyId = kid };
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            Claims = new Dictionary<string, object>(StringComparer.Ordinal) { [JwtRegisteredClaimNames.Sub] = "edge-perf", ["tenant"] = tenant },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }
}
