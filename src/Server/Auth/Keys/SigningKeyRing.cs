using System.Diagnostics.CodeAnalysis;
using Microsoft.IdentityModel.Tokens;

namespace Edge.Server.Auth.Keys;

/// <summary>
/// An immutable set of verification keys, what <see cref="SigningKeyLoader"/> produced from valid options: the allowed
/// algorithms, the configured keys plus the JWKS file's, indexed by <c>kid</c> and by algorithm. Replaced as a whole
/// on a JWKS reload (<see cref="WithJwksKeys"/>), so a validation always sees one consistent set.
/// </summary>
internal sealed class SigningKeyRing
{
    private readonly Dictionary<string, SigningKey> _byKid;
    private readonly SecurityKey[] _hs256;
    private readonly SecurityKey[] _rs256;
    private readonly SecurityKey[] _es256;

    private SigningKeyRing(Dictionary<string, SigningKey> byKid, SecurityKey[] hs256, SecurityKey[] rs256, SecurityKey[] es256, int count)
    {
        _byKid = byKid;
        _hs256 = hs256;
        _rs256 = rs256;
        _es256 = es256;
        Count = count;
    }

    /// <summary>The algorithms a token may be signed with (the configured allow-list).</summary>
    public SigningAlgorithm Allowed { get; private init; }

    /// <summary>Keys from <c>Auth:Keys</c>; kept so every JWKS reload can be merged with them.</summary>
    public SigningKey[] ConfiguredKeys { get; private init; } = [];

    /// <summary>How many keys it holds, configured and from the JWKS file.</summary>
    public int Count { get; }

    /// <summary>
    /// Builds a ring of <paramref name="configuredKeys"/> and then <paramref name="jwksKeys"/>; a <c>kid</c> used twice
    /// is an error (returns null) because it makes selection ambiguous.
    /// </summary>
    public static SigningKeyRing? Create(
        SigningAlgorithm allowed, SigningKey[] configuredKeys, IReadOnlyList<SigningKey> jwksKeys, List<string> errors)
    {
        var keys = new List<SigningKey>(configuredKeys.Length + jwksKeys.Count);
        keys.AddRange(configuredKeys);
        keys.AddRange(jwksKeys);
        var byKid = new Dictionary<string, SigningKey>(StringComparer.Ordinal);
        var hs = new List<SecurityKey>();
        var rs = new List<SecurityKey>();
        var es = new List<SecurityKey>();
        var ok = true;
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (key.Kid is not null && !byKid.TryAdd(key.Kid, key))
            {
                errors.Add($"{key.Origin}: kid '{key.Kid}' is already used by {byKid[key.Kid].Origin}");
                ok = false;
                continue;
            }

            var list = key.Algorithm switch
            {
                SigningAlgorithm.HS256 => hs,
                SigningAlgorithm.RS256 => rs,
                _ => es,
            };
            list.Add(key.Key);
        }

        return ok
            ? new SigningKeyRing(byKid, [.. hs], [.. rs], [.. es], keys.Count) { Allowed = allowed, ConfiguredKeys = configuredKeys }
            : null;
    }

    /// <summary>A ring of the same algorithms and configured keys with the JWKS file's keys replaced (null: see <see cref="Create"/>).</summary>
    public SigningKeyRing? WithJwksKeys(IReadOnlyList<SigningKey> jwksKeys, List<string> errors) =>
        Create(Allowed, ConfiguredKeys, jwksKeys, errors);

    public bool TryGetByKid(string kid, [NotNullWhen(true)] out SigningKey? key) => _byKid.TryGetValue(kid, out key);

    /// <summary>Every key bound to <paramref name="algorithm"/> (for tokens without <c>kid</c>).</summary>
    public SecurityKey[] ForAlgorithm(SigningAlgorithm algorithm) => algorithm switch
    {
        SigningAlgorithm.HS256 => _hs256,
        SigningAlgorithm.RS256 => _rs256,
        SigningAlgorithm.ES256 => _es256,
        _ => [],
    };
}
