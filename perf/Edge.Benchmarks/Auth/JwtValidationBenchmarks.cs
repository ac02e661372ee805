using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Edge.Server.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Edge.Benchmarks.Auth;

/// <summary>
/// Cost of authenticating one WebSocket handshake: JwtValidator.Validate for HS256, RS256 and ES256 tokens,
/// two refusal paths, the duplicate-member check, token extraction, and the bare signature check of each algorithm as a floor.
/// Run: dotnet run -c Release --project perf/Edge.Benchmarks -- --filter '*JwtValidation*' --job short
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class JwtValidationBenchmarks
{
    private RSA _rsa = null!;
    private ECDsa _ec = null!;
    private byte[] _hmacSecret = null!;
    private JwtValidator _validator = null!;
    private string _hs256 = null!;
    private string _rs256 = null!;
    private string _es256 = null!;
    private string _expiredRs256 = null!;
    private string _unknownKid = null!;
    private string _requestTarget = null!;
    private byte[] _rsSigningInput = null!;
    private byte[] _rsSignature = null!;
    private byte[] _esSigningInput = null!;
    private byte[] _esSignature = null!;
    private byte[] _hsSigningInput = null!;
    private byte[] _hsSignature = null!;

    [GlobalSetup]
    public void Setup()
    {
        _rsa = RSA.Create(2048);
        _ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var options = new AuthOptions { Issuer = "https://issuer.bench", Audience = "edge" };
        var dev = new DevTokenIssuer(options, kid: "hs-1");
        _hmacSecret = Convert.FromBase64String(dev.SecretBase64);
        options.Keys.Add(dev.SigningKey);
        options.Keys.Add(new AuthKeyOptions { Kid = "rsa-1", Algorithm = "RS256", Pem = _rsa.ExportSubjectPublicKeyInfoPem() });
        options.Keys.Add(new AuthKeyOptions { Kid = "ec-1", Algorithm = "ES256", Pem = _ec.ExportSubjectPublicKeyInfoPem() });
        _validator = new JwtValidator(options);

        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        string Sign(SecurityKey key, string alg, string kid, DateTime expires)
        {
            key.KeyId = kid;
            return handler.CreateToken(new SecurityTokenDescriptor
            {
                Issuer = options.Issuer,
                Audience = options.Audience,
                IssuedAt = expires.AddHours(-2),
                NotBefore = expires.AddHours(-2),
                Expires = expires,
                Claims = new Dictionary<string, object> { ["sub"] = "trader-17", ["tenant"] = "acme", ["scope"] = "edge:read" },
                SigningCredentials = new SigningCredentials(key, alg),
            });
        }

        var inAnHour = DateTime.UtcNow.AddHours(1);
        _hs256 = dev.Issue("trader-17", "acme", TimeSpan.FromHours(1));
        _rs256 = Sign(new RsaSecurityKey(_rsa), SecurityAlgorithms.RsaSha256, "rsa-1", inAnHour);
        _es256 = Sign(new ECDsaSecurityKey(_ec), SecurityAlgorithms.EcdsaSha256, "ec-1", inAnHour);
        _expiredRs256 = Sign(new RsaSecurityKey(_rsa), SecurityAlgorithms.RsaSha256, "rsa-1", DateTime.UtcNow.AddHours(-1));
        _unknownKid = Sign(new RsaSecurityKey(_rsa), SecurityAlgorithms.RsaSha256, "rsa-unknown", inAnHour);
        _requestTarget = "/prices?symbols=EURUSD,GBPUSD&token=" + _es256;
        (_hsSigningInput, _hsSignature) = Split(_hs256);
        (_rsSigningInput, _rsSignature) = Split(_rs256);
        (_esSigningInput, _esSignature) = Split(_es256);

        foreach (var token in new[] { _hs256, _rs256, _es256 })
        {
            var result = _validator.Validate(token);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException("benchmark token refused: " + result.Code);
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _validator.Dispose();
        _rsa.Dispose();
        _ec.Dispose();
    }

    [Benchmark]
    public bool ValidateHs256() => _validator.Validate(_hs256).Succeeded;

    [Benchmark]
    public bool ValidateRs256() => _validator.Validate(_rs256).Succeeded;

    [Benchmark]
    public bool ValidateEs256() => _validator.Validate(_es256).Succeeded;

    /// <summary>Refused after the signature check (lifetime is checked last).</summary>
    [Benchmark]
    public AuthFailureReason RefuseExpiredRs256() => _validator.Validate(_expiredRs256).Failure;

    /// <summary>Refused before any cryptography.</summary>
    [Benchmark]
    public AuthFailureReason RefuseUnknownKid() => _validator.Validate(_unknownKid).Failure;

    /// <summary>The duplicate-member check of the HS256 token's header and payload, part of every Validate (should be 0 B).</summary>
    [Benchmark]
    public bool UniqueMembersHs256()
    {
        var token = _hs256.AsSpan();
        var firstDot = token.IndexOf('.');
        var rest = token[(firstDot + 1)..];
        return UniqueJsonMembers.InSegment(token[..firstDot]) && UniqueJsonMembers.InSegment(rest[..rest.IndexOf('.')]);
    }

    [Benchmark]
    public int ExtractFromQuery() => BearerTokenExtractor.Extract("", _requestTarget, "edge.v1.msgpack").Token!.Length;

    /// <summary>Floor: HMAC-SHA256 over the signing input, nothing else.</summary>
    [Benchmark]
    public bool BareHmacSha256()
    {
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_hmacSecret, _hsSigningInput, mac);
        return CryptographicOperations.FixedTimeEquals(mac, _hsSignature);
    }

    /// <summary>Floor: RSA PKCS#1 v1.5 SHA-256 verification, nothing else.</summary>
    [Benchmark]
    public bool BareRsaVerify() => _rsa.VerifyData(_rsSigningInput, _rsSignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>Floor: ECDSA P-256 SHA-256 verification, nothing else.</summary>
    [Benchmark]
    public bool BareEcdsaVerify() => _ec.VerifyData(_esSigningInput, _esSignature, HashAlgorithmName.SHA256);

    private static (byte[] SigningInput, byte[] Signature) Split(string token)
    {
        var lastDot = token.LastIndexOf('.');
        return (Encoding.ASCII.GetBytes(token[..lastDot]), Base64Url.DecodeFromChars(token.AsSpan(lastDot + 1)));
    }
}
