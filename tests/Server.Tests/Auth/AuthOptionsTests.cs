using System.Security.Cryptography;
using Edge.Server.Auth;

namespace Edge.Server.Tests.Auth;

[TestFixture]
public sealed class AuthOptionsTests : TestKeysFixture
{
    private DirectoryInfo _dir = null!;

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("edge-auth-options-");

    [TearDown]
    public void DeleteDirectory() => _dir.Delete(recursive: true);

    [Test]
    public void Options_with_hs_rs_and_es_keys_are_valid()
    {
        Assert.That(Keys.Options().Validate(), Is.Empty);
    }

    [Test]
    public void Defaults_are_the_documented_ones()
    {
        var options = new AuthOptions();

        Assert.That(options.TenantClaim, Is.EqualTo("tenant"));
        Assert.That(options.ScopeClaim, Is.EqualTo("scope"));
        Assert.That(options.AdminScope, Is.EqualTo("edge:admin"));
        Assert.That(options.ClockSkewSeconds, Is.EqualTo(30));
        Assert.That(options.AllowedAlgorithms, Is.Empty);
        Assert.That(options.Keys, Is.Empty);
    }

    [Test]
    public void Empty_options_list_every_missing_setting()
    {
        var errors = new AuthOptions().Validate();

        Assert.That(errors, Has.Some.StartsWith("Auth:Issuer"));
        Assert.That(errors, Has.Some.StartsWith("Auth:Audience"));
        Assert.That(errors, Has.Some.Contains("no verification key"));
    }

    [Test]
    public void Pem_file_is_read()
    {
        var path = Path.Combine(_dir.FullName, "ec.pem");
        File.WriteAllText(path, Keys.Ec.ExportSubjectPublicKeyInfoPem());
        var options = Keys.Options();
        options.Keys = [new AuthKeyOptions { Kid = "ec-file", Algorithm = "ES256", PemFile = path }];

        Assert.That(options.Validate(), Is.Empty);
        using var validator = new JwtValidator(options);
        Assert.That(validator.Validate(TestJwt.Es256(Keys.Ec, "ec-file", TestJwt.ValidClaims())).Succeeded, Is.True);
    }

    [Test]
    public void Rsa_certificate_pem_is_accepted()
    {
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=issuer", Keys.Rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var options = Keys.Options();
        options.Keys = [new AuthKeyOptions { Kid = "cert", Algorithm = "RS256", Pem = certificate.ExportCertificatePem() }];

        using var validator = new JwtValidator(options);

        Assert.That(validator.Validate(TestJwt.Rs256(Keys.Rsa, "cert", TestJwt.ValidClaims())).Succeeded, Is.True);
    }

    [Test]
    public void Hs256_secret_shorter_than_256_bits_is_an_error()
    {
        var errors = WithKey(new AuthKeyOptions { Algorithm = "HS256", Secret = Convert.ToBase64String(new byte[31]) });

        Assert.That(errors, Has.One.Contains("Auth:Keys:0:Secret").And.Contains("too short"));
    }

    [Test]
    public void Hs256_secret_in_base64url_without_padding_is_accepted()
    {
        var secret = RandomNumberGenerator.GetBytes(33);
        var encoded = System.Buffers.Text.Base64Url.EncodeToString(secret);
        var options = Keys.Options();
        options.Keys = [new AuthKeyOptions { Algorithm = "HS256", Secret = encoded }];

        using var validator = new JwtValidator(options);

        Assert.That(validator.Validate(TestJwt.Hs256(secret, null, TestJwt.ValidClaims())).Succeeded, Is.True);
    }

    [TestCase("not base64 !!")]
    [TestCase("")]
    public void Bad_hs256_secret_is_an_error(string secret)
    {
        Assert.That(WithKey(new AuthKeyOptions { Algorithm = "HS256", Secret = secret }), Has.One.Contains("Auth:Keys:0:Secret"));
    }

    [TestCase("HS384")]
    [TestCase("none")]
    [TestCase("")]
    [TestCase(null)]
    public void Unknown_key_algorithm_is_an_error(string? algorithm)
    {
        Assert.That(WithKey(new AuthKeyOptions { Algorithm = algorithm, Secret = Convert.ToBase64String(new byte[32]) }), Has.One.Contains("Auth:Keys:0:Algorithm"));
    }

    [Test]
    public void None_and_unknown_names_in_the_allow_list_are_errors()
    {
        var options = Keys.Options();
        options.AllowedAlgorithms = ["RS256", "none", "XS999"];

        var errors = options.Validate();

        Assert.That(errors, Has.Some.Contains("Auth:AllowedAlgorithms:1").And.Contains("never allowed"));
        Assert.That(errors, Has.Some.Contains("Auth:AllowedAlgorithms:2").And.Contains("unknown algorithm"));
    }

    [Test]
    public void Key_whose_algorithm_is_not_allowed_is_an_error()
    {
        var options = Keys.Options();
        options.AllowedAlgorithms = ["RS256"];

        var errors = options.Validate();

        Assert.That(errors, Has.Some.Contains("Auth:Keys:0:Algorithm"));
        Assert.That(errors, Has.Some.Contains("Auth:Keys:2:Algorithm"));
    }

    [Test]
    public void Pem_that_does_not_parse_is_an_error()
    {
        var errors = WithKey(new AuthKeyOptions { Algorithm = "RS256", Pem = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----" });

        Assert.That(errors, Has.One.Contains("Auth:Keys:0").And.Contains("does not parse"));
    }

    [Test]
    public void Text_without_a_pem_block_is_an_error()
    {
        Assert.That(WithKey(new AuthKeyOptions { Algorithm = "ES256", Pem = "hello" }), Has.One.Contains("no PEM block"));
    }

    [Test]
    public void Private_key_pem_is_refused()
    {
        var errors = WithKey(new AuthKeyOptions { Algorithm = "RS256", Pem = Keys.Rsa.ExportRSAPrivateKeyPem() });

        Assert.That(errors, Has.One.Contains("private key"));
    }

    [Test]
    public void Ec_pem_for_an_rs256_key_and_rsa_pem_for_an_es256_key_are_errors()
    {
        Assert.That(WithKey(new AuthKeyOptions { Algorithm = "RS256", Pem = Keys.Ec.ExportSubjectPublicKeyInfoPem() }), Has.One.Contains("RSA public key"));
        Assert.That(WithKey(new AuthKeyOptions { Algorithm = "ES256", Pem = Keys.Rsa.ExportSubjectPublicKeyInfoPem() }), Has.One.Contains("EC P-256"));
    }

    [Test]
    public void Rsa_key_shorter_than_2048_bits_is_an_error()
    {
        using var weak = RSA.Create(1024);

        Assert.That(WithKey(new AuthKeyOptions { Algorithm = "RS256", Pem = weak.ExportSubjectPublicKeyInfoPem() }), Has.One.Contains("1024 bits"));
    }

    [Test]
    public void Es256_key_on_another_curve_is_an_error()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);

        Assert.That(WithKey(new AuthKeyOptions { Algorithm = "ES256", Pem = p384.ExportSubjectPublicKeyInfoPem() }), Has.One.Contains("P-256"));
    }

    [Test]
    public void Hs256_key_given_a_pem_is_an_error_because_a_public_key_is_no_hmac_secret()
    {
        var errors = WithKey(new AuthKeyOptions { Algorithm = "HS256", Pem = Keys.Rsa.ExportSubjectPublicKeyInfoPem() });

        Assert.That(errors, Has.One.Contains("HS256 key takes a base64 Secret"));
    }

    [Test]
    public void Rs256_key_given_a_secret_or_both_pem_sources_is_an_error()
    {
        Assert.That(WithKey(new AuthKeyOptions { Algorithm = "RS256", Secret = Convert.ToBase64String(new byte[32]) }), Has.One.Contains("not a Secret"));
        Assert.That(
            WithKey(new AuthKeyOptions { Algorithm = "RS256", Pem = Keys.Rsa.ExportSubjectPublicKeyInfoPem(), PemFile = "/x.pem" }),
            Has.One.Contains("exactly one of Pem and PemFile"));
    }

    [Test]
    public void Missing_pem_file_is_an_error()
    {
        var errors = WithKey(new AuthKeyOptions { Algorithm = "RS256", PemFile = Path.Combine(_dir.FullName, "absent.pem") });

        Assert.That(errors, Has.One.Contains("Auth:Keys:0:PemFile"));
    }

    [Test]
    public void Duplicate_kid_is_an_error()
    {
        var options = Keys.Options();
        options.Keys = [Keys.RsaKey, new AuthKeyOptions { Kid = TestKeys.RsaKid, Algorithm = "ES256", Pem = Keys.Ec.ExportSubjectPublicKeyInfoPem() }];

        Assert.That(options.Validate(), Has.One.Contains("kid 'rsa-1' is already used"));
    }

    [TestCase(-1)]
    [TestCase(301)]
    public void Clock_skew_out_of_range_is_an_error(int seconds)
    {
        Assert.That(Keys.Options(clockSkewSeconds: seconds).Validate(), Has.One.StartsWith("Auth:ClockSkewSeconds"));
    }

    [Test]
    public void Missing_jwks_file_is_an_error()
    {
        var options = Keys.Options();
        options.JwksFile = Path.Combine(_dir.FullName, "absent.json");

        Assert.That(options.Validate(), Has.One.Contains("Auth:JwksFile").And.Contains("does not exist"));
    }

    [Test]
    public void Validator_refuses_invalid_options_with_all_errors()
    {
        var options = new AuthOptions { Keys = [new AuthKeyOptions { Algorithm = "HS256", Secret = "c2hvcnQ=" }] };

        var exception = Assert.Throws<AuthConfigurationException>(() => new JwtValidator(options).Dispose())!;

        Assert.That(exception.Errors, Has.Count.EqualTo(3));
        Assert.That(exception.Message, Does.Contain("Auth:Issuer").And.Contain("Auth:Audience").And.Contain("Auth:Keys:0:Secret"));
    }

    private IReadOnlyList<string> WithKey(AuthKeyOptions key)
    {
        var options = Keys.Options();
        options.Keys = [key];
        return options.Validate();
    }
}
