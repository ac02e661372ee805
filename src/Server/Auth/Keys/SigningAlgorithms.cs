namespace Edge.Server.Auth.Keys;

/// <summary>Names of <see cref="SigningAlgorithm"/> values as they appear in JWS headers and configuration.</summary>
internal static class SigningAlgorithms
{
    public const string HS256 = "HS256";
    public const string RS256 = "RS256";
    public const string ES256 = "ES256";

    /// <summary>Exact (case-sensitive) match of a JWS <c>alg</c> value, as RFC 7515 requires.</summary>
    public static SigningAlgorithm Parse(string? name) => name switch
    {
        HS256 => SigningAlgorithm.HS256,
        RS256 => SigningAlgorithm.RS256,
        ES256 => SigningAlgorithm.ES256,
        _ => SigningAlgorithm.None,
    };

    public static string Name(SigningAlgorithm algorithm) => algorithm switch
    {
        SigningAlgorithm.HS256 => HS256,
        SigningAlgorithm.RS256 => RS256,
        SigningAlgorithm.ES256 => ES256,
        _ => "none",
    };

    /// <summary>The configured allow-list; empty means all supported algorithms.</summary>
    public static SigningAlgorithm ParseAllowed(string[]? names, List<string> errors)
    {
        if (names is null || names.Length == 0)
        {
            return SigningAlgorithm.All;
        }

        var allowed = SigningAlgorithm.None;
        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i]?.Trim();
            var algorithm = Parse(name);
            if (algorithm != SigningAlgorithm.None)
            {
                allowed |= algorithm;
            }
            else if (string.Equals(name, "none", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"Auth:AllowedAlgorithms:{i}: 'none' (unsigned tokens) is never allowed");
            }
            else
            {
                errors.Add($"Auth:AllowedAlgorithms:{i}: unknown algorithm '{name}' (use HS256, RS256 or ES256)");
            }
        }

        return allowed;
    }

    /// <summary>The names in a set, for TokenValidationParameters.ValidAlgorithms.</summary>
    public static string[] Names(SigningAlgorithm set)
    {
        var names = new List<string>(3);
        if ((set & SigningAlgorithm.HS256) != 0)
        {
            names.Add(HS256);
        }

        if ((set & SigningAlgorithm.RS256) != 0)
        {
            names.Add(RS256);
        }

        if ((set & SigningAlgorithm.ES256) != 0)
        {
            names.Add(ES256);
        }

        return [.. names];
    }
}
