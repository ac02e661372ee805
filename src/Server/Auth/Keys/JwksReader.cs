using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Edge.Server.Auth.Keys;

/// <summary>
/// Reads a JWK Set (RFC 7517) with <see cref="JsonDocument"/> into algorithm-bound keys, without
/// reflection-based JSON and without <c>JsonWebKeySet</c>, so the rules are ours and AOT-proof:
/// <list type="bullet">
/// <item>each key is bound to one algorithm: <c>kty</c> RSA → RS256, EC P-256 → ES256, oct → HS256; an
/// <c>alg</c> that contradicts <c>kty</c> (e.g. RSA with HS256) is an error;</item>
/// <item>keys Edge cannot use (<c>use</c> other than <c>sig</c>, other algorithms or curves, other key types,
/// algorithms outside the allow-list) are skipped and counted;</item>
/// <item>a malformed or weak key, a duplicate property, or a set with no usable key fails the whole file.</item>
/// </list>
/// Only public parameters are read; private members (<c>d</c>, <c>p</c>, ...) are ignored.
/// </summary>
internal static class JwksReader
{
    public const int MaxFileBytes = 1024 * 1024;

    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        MaxDepth = 16,
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
        AllowDuplicateProperties = false,
    };

    public static List<SigningKey>? ReadFile(string path, SigningAlgorithm allowed, List<string> errors, out int skipped)
    {
        skipped = 0;
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                errors.Add($"Auth:JwksFile: '{path}' does not exist");
                return null;
            }

            if (info.Length > MaxFileBytes)
            {
                errors.Add($"Auth:JwksFile: '{path}' is larger than {MaxFileBytes} bytes");
                return null;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            errors.Add($"Auth:JwksFile: cannot read '{path}': {e.GetType().Name}");
            return null;
        }

        return Read(bytes, allowed, errors, out skipped);
    }

    public static List<SigningKey>? Read(ReadOnlyMemory<byte> utf8Json, SigningAlgorithm allowed, List<string> errors, out int skipped)
    {
        skipped = 0;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException e)
        {
            // The exception message can quote file content; report the position only.
            errors.Add($"jwks: not valid JSON (line {e.LineNumber}, byte {e.BytePositionInLine})");
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
            {
                errors.Add("jwks: expected an object with a 'keys' array");
                return null;
            }

            var result = new List<SigningKey>();
            var errorsBefore = errors.Count;
            var index = 0;
            foreach (var element in keys.EnumerateArray())
            {
                var origin = $"jwks keys[{index++}]";
                var outcome = ReadKey(element, origin, allowed, errors, out var key);
                if (outcome == KeyOutcome.Skipped)
                {
                    skipped++;
                }
                else if (key is not null)
                {
                    result.Add(key);
                }
            }

            if (errors.Count > errorsBefore)
            {
                return null;
            }

            if (result.Count == 0)
            {
                errors.Add($"jwks: no usable key ({skipped} skipped: wrong use, algorithm, curve or key type)");
                return null;
            }

            return result;
        }
    }

    private enum KeyOutcome
    {
        Read,
        Skipped,
        Failed,
    }

    private static KeyOutcome ReadKey(JsonElement element, string origin, SigningAlgorithm allowed, List<string> errors, out SigningKey? key)
    {
        key = null;
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Fail(errors, origin, "is not an object");
        }

        if (!TryGetString(element, "kty", out var kty))
        {
            return Fail(errors, origin, "has no string 'kty'");
        }

        if (element.TryGetProperty("use", out _) && (!TryGetString(element, "use", out var use) || use != "sig"))
        {
            return KeyOutcome.Skipped;
        }

        string? kid = null;
        if (element.TryGetProperty("kid", out _) && (!TryGetString(element, "kid", out kid) || kid.Length == 0))
        {
            return Fail(errors, origin, "has a 'kid' that is not a non-empty string");
        }

        var declared = SigningAlgorithm.None;
        if (element.TryGetProperty("alg", out _))
        {
            if (!TryGetString(element, "alg", out var alg))
            {
                return Fail(errors, origin, "has an 'alg' that is not a string");
            }

            declared = SigningAlgorithms.Parse(alg);
            if (declared == SigningAlgorithm.None)
            {
                return KeyOutcome.Skipped; // RS384, PS256, EdDSA, ...: not ours.
            }
        }

        SigningAlgorithm bound;
        SecurityKey? securityKey;
        switch (kty)
        {
            case "RSA":
                bound = SigningAlgorithm.RS256;
                if (!Matches(declared, bound, kty, origin, errors))
                {
                    return KeyOutcome.Failed;
                }

                securityKey = ReadRsa(element, origin, errors);
                break;
            case "EC":
                bound = SigningAlgorithm.ES256;
                if (!TryGetString(element, "crv", out var crv))
                {
                    return Fail(errors, origin, "has no string 'crv'");
                }

                if (crv != "P-256")
                {
                    return KeyOutcome.Skipped;
                }

                if (!Matches(declared, bound, kty, origin, errors))
                {
                    return KeyOutcome.Failed;
                }

                securityKey = ReadEc(element, origin, errors);
                break;
            case "oct":
                bound = SigningAlgorithm.HS256;
                if (!Matches(declared, bound, kty, origin, errors))
                {
                    return KeyOutcome.Failed;
                }

                securityKey = ReadOct(element, origin, errors);
                break;
            default:
                return KeyOutcome.Skipped;
        }

        if (securityKey is null)
        {
            return KeyOutcome.Failed;
        }

        if ((allowed & bound) == 0)
        {
            return KeyOutcome.Skipped;
        }

        key = new SigningKey(kid, bound, securityKey, origin);
        return KeyOutcome.Read;
    }

    private static bool Matches(SigningAlgorithm declared, SigningAlgorithm bound, string kty, string origin, List<string> errors)
    {
        if (declared == SigningAlgorithm.None || declared == bound)
        {
            return true;
        }

        errors.Add($"{origin}: kty '{kty}' cannot be used with alg {SigningAlgorithms.Name(declared)}");
        return false;
    }

    private static RsaSecurityKey? ReadRsa(JsonElement element, string origin, List<string> errors)
    {
        var modulus = ReadBase64Url(element, "n", origin, errors);
        var exponent = ReadBase64Url(element, "e", origin, errors);
        if (modulus is null || exponent is null)
        {
            return null;
        }

        var significant = modulus.AsSpan().TrimStart((byte)0).Length;
        if (significant * 8 < SigningKeyLoader.MinRsaKeyBits)
        {
            errors.Add($"{origin}: RSA modulus of {significant * 8} bits is too short (at least {SigningKeyLoader.MinRsaKeyBits})");
            return null;
        }

        if (exponent.Length is 0 or > 8)
        {
            errors.Add($"{origin}: RSA exponent 'e' has a bad length");
            return null;
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportParameters(new RSAParameters { Modulus = modulus, Exponent = exponent });
        }
        catch (CryptographicException)
        {
            rsa.Dispose();
            errors.Add($"{origin}: RSA parameters are not a valid public key");
            return null;
        }

        return new RsaSecurityKey(rsa);
    }

    private static ECDsaSecurityKey? ReadEc(JsonElement element, string origin, List<string> errors)
    {
        var x = ReadBase64Url(element, "x", origin, errors);
        var y = ReadBase64Url(element, "y", origin, errors);
        if (x is null || y is null)
        {
            return null;
        }

        if (x.Length != 32 || y.Length != 32)
        {
            errors.Add($"{origin}: P-256 coordinates must be 32 bytes each");
            return null;
        }

        try
        {
            var ecdsa = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
            return new ECDsaSecurityKey(ecdsa);
        }
        catch (CryptographicException)
        {
            errors.Add($"{origin}: the point is not on P-256");
            return null;
        }
    }

    private static SymmetricSecurityKey? ReadOct(JsonElement element, string origin, List<string> errors)
    {
        var k = ReadBase64Url(element, "k", origin, errors);
        if (k is null)
        {
            return null;
        }

        if (k.Length < SigningKeyLoader.MinHmacKeyBytes)
        {
            errors.Add($"{origin}: HS256 secret of {k.Length * 8} bits is too short (at least {SigningKeyLoader.MinHmacKeyBytes * 8})");
            return null;
        }

        return new SymmetricSecurityKey(k);
    }

    private static byte[]? ReadBase64Url(JsonElement element, string name, string origin, List<string> errors)
    {
        if (!TryGetString(element, name, out var text) || text.Length == 0)
        {
            errors.Add($"{origin}: missing '{name}'");
            return null;
        }

        if (!Base64Url.IsValid(text, out var length))
        {
            errors.Add($"{origin}: '{name}' is not base64url");
            return null;
        }

        var bytes = new byte[length];
        if (Base64Url.DecodeFromChars(text, bytes, out _, out var written) != System.Buffers.OperationStatus.Done)
        {
            errors.Add($"{origin}: '{name}' is not base64url");
            return null;
        }

        return written == bytes.Length ? bytes : bytes.AsSpan(0, written).ToArray();
    }

    private static bool TryGetString(JsonElement element, string name, out string value)
    {
        if (element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String)
        {
            value = property.GetString()!;
            return true;
        }

        value = string.Empty;
        return false;
    }

    private static KeyOutcome Fail(List<string> errors, string origin, string problem)
    {
        errors.Add($"{origin} {problem}");
        return KeyOutcome.Failed;
    }
}
