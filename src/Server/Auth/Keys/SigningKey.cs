using Microsoft.IdentityModel.Tokens;

namespace Edge.Server.Auth.Keys;

/// <summary>A verification key bound to one algorithm, with its optional <c>kid</c>.</summary>
internal sealed class SigningKey
{
    public SigningKey(string? kid, SigningAlgorithm algorithm, SecurityKey key, string origin)
    {
        Kid = string.IsNullOrEmpty(kid) ? null : kid;
        Algorithm = algorithm;
        Key = key;
        Key.KeyId = Kid;
        Origin = origin;
        AsArray = [key];
    }

    public string? Kid { get; }

    public SigningAlgorithm Algorithm { get; }

    public SecurityKey Key { get; }

    /// <summary>Where the key was configured (e.g. <c>Auth:Keys:0</c> or <c>jwks keys[2]</c>), for errors.</summary>
    public string Origin { get; }

    /// <summary>The key as a one-element array, built once so the key resolver allocates nothing.</summary>
    public SecurityKey[] AsArray { get; }
}
