using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Edge.Server.Tests.Auth;

/// <summary>
/// Builds compact JWS tokens by hand (Utf8JsonWriter + BCL crypto), independently of the code under test and of
/// IdentityModel, so tests can also forge hostile tokens: alg none, HS256 with a public key as secret, tampering.
/// Claim values may be string, long, double, bool, string[] or null (written as JSON null).
/// </summary>
internal static class TestJwt
{
    public const string Issuer = "https://issuer.test";
    public const string Audience = "edge";

    public static Dictionary<string, object?> Claims(
        long? expiresUnix,
        string? subject = "alice",
        string? tenant = "acme",
        string issuer = Issuer,
        string audience = Audience,
        long? notBeforeUnix = null,
        object? scope = null)
    {
        var claims = new Dictionary<string, object?> { ["iss"] = issuer, ["aud"] = audience };
        if (subject is not null)
        {
            claims["sub"] = subject;
        }

        if (tenant is not null)
        {
            claims["tenant"] = tenant;
        }

        if (expiresUnix is not null)
        {
            claims["exp"] = expiresUnix.Value;
        }

        if (notBeforeUnix is not null)
        {
            claims["nbf"] = notBeforeUnix.Value;
        }

        if (scope is not null)
        {
            claims["scope"] = scope;
        }

        return claims;
    }

    /// <summary>Claims valid for the next hour from the real clock.</summary>
    public static Dictionary<string, object?> ValidClaims(object? scope = null) =>
        Claims(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(), notBeforeUnix: DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), scope: scope);

    public static string Hs256(byte[] secret, string? kid, IReadOnlyDictionary<string, object?> claims) =>
        Build(Header("HS256", kid), claims, data => HMACSHA256.HashData(secret, data));

    public static string Rs256(RSA rsa, string? kid, IReadOnlyDictionary<string, object?> claims) =>
        Build(Header("RS256", kid), claims, data => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    /// <summary>ES256 signatures are r||s (IEEE P1363), which is what ECDsa.SignData produces by default.</summary>
    public static string Es256(ECDsa ecdsa, string? kid, IReadOnlyDictionary<string, object?> claims) =>
        Build(Header("ES256", kid), claims, data => ecdsa.SignData(data, HashAlgorithmName.SHA256));

    /// <summary>An unsecured JWT (RFC 7519 section 6): <c>alg</c> as given, empty signature.</summary>
    public static string Unsigned(string alg, IReadOnlyDictionary<string, object?> claims) =>
        Build(Header(alg, null), claims, static _ => []);

    public static Dictionary<string, object?> Header(string alg, string? kid)
    {
        var header = new Dictionary<string, object?> { ["alg"] = alg, ["typ"] = "JWT" };
        if (kid is not null)
        {
            header["kid"] = kid;
        }

        return header;
    }

    public static string Build(IReadOnlyDictionary<string, object?> header, IReadOnlyDictionary<string, object?> claims, Func<byte[], byte[]> sign)
    {
        var signingInput = Segment(header) + "." + Segment(claims);
        var signature = sign(Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>A token from hand-written header and payload JSON (which may repeat a member), HS256-signed with <paramref name="secret"/>.</summary>
    public static string Hs256Raw(byte[] secret, string headerJson, string payloadJson)
    {
        var signingInput = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(headerJson)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payloadJson));
        return signingInput + "." + Base64Url.EncodeToString(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)));
    }

    public static string Segment(IReadOnlyDictionary<string, object?> values) => Base64Url.EncodeToString(Json(values));

    public static byte[] Json(IReadOnlyDictionary<string, object?> values)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in values)
            {
                writer.WritePropertyName(name);
                switch (value)
                {
                    case null:
                        writer.WriteNullValue();
                        break;
                    case string s:
                        writer.WriteStringValue(s);
                        break;
                    case long l:
                        writer.WriteNumberValue(l);
                        break;
                    case int i:
                        writer.WriteNumberValue(i);
                        break;
                    case double d:
                        writer.WriteNumberValue(d);
                        break;
                    case bool b:
                        writer.WriteBooleanValue(b);
                        break;
                    case string[] array:
                        writer.WriteStartArray();
                        foreach (var item in array)
                        {
                            writer.WriteStringValue(item);
                        }

                        writer.WriteEndArray();
                        break;
                    default:
                        throw new ArgumentException($"unsupported claim type {value.GetType()}");
                }
            }

            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
