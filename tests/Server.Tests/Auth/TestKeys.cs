using System.Buffers.Text;
using System.Security.Cryptography;
using Edge.Server.Auth;

namespace Edge.Server.Tests.Auth;

/// <summary>Freshly generated keys for one test fixture, and the AuthOptions entries that trust them.</summary>
public sealed class TestKeys : IDisposable
{
    public const string HmacKid = "hs-1";
    public const string RsaKid = "rsa-1";
    public const string EcKid = "ec-1";

    public byte[] HmacSecret { get; } = RandomNumberGenerator.GetBytes(32);

    public RSA Rsa { get; } = RSA.Create(2048);

    public ECDsa Ec { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public AuthKeyOptions HmacKey => new() { Kid = HmacKid, Algorithm = "HS256", Secret = Convert.ToBase64String(HmacSecret) };

    public AuthKeyOptions RsaKey => new() { Kid = RsaKid, Algorithm = "RS256", Pem = Rsa.ExportSubjectPublicKeyInfoPem() };

    public AuthKeyOptions EcKey => new() { Kid = EcKid, Algorithm = "ES256", Pem = Ec.ExportSubjectPublicKeyInfoPem() };

    /// <summary>Options trusting all three keys, with the test issuer and audience.</summary>
    public AuthOptions Options(int clockSkewSeconds = AuthOptions.DefaultClockSkewSeconds) => new()
    {
        Issuer = TestJwt.Issuer,
        Audience = TestJwt.Audience,
        ClockSkewSeconds = clockSkewSeconds,
        Keys = [HmacKey, RsaKey, EcKey],
    };

    public static string RsaJwk(RSA rsa, string? kid, string? alg = "RS256")
    {
        var p = rsa.ExportParameters(false);
        return "{\"kty\":\"RSA\"" + Member("kid", kid) + Member("alg", alg) +
            ",\"use\":\"sig\",\"n\":\"" + Base64Url.EncodeToString(p.Modulus) + "\",\"e\":\"" + Base64Url.EncodeToString(p.Exponent) + "\"}";
    }

    public static string EcJwk(ECDsa ec, string? kid)
    {
        var p = ec.ExportParameters(false);
        return "{\"kty\":\"EC\",\"crv\":\"P-256\"" + Member("kid", kid) +
            ",\"x\":\"" + Base64Url.EncodeToString(p.Q.X) + "\",\"y\":\"" + Base64Url.EncodeToString(p.Q.Y) + "\"}";
    }

    public static string OctJwk(byte[] secret, string? kid, string? alg = "HS256") =>
        "{\"kty\":\"oct\"" + Member("kid", kid) + Member("alg", alg) + ",\"k\":\"" + Base64Url.EncodeToString(secret) + "\"}";

    public static string Jwks(params string[] keys) => "{\"keys\":[" + string.Join(",", keys) + "]}";

    public void Dispose()
    {
        Rsa.Dispose();
        Ec.Dispose();
    }

    private static string Member(string name, string? value) => value is null ? string.Empty : $",\"{name}\":\"{value}\"";
}
