using System.Security.Cryptography;
using Edge.Server.Auth;

namespace Edge.Server.Tests.Auth;

[TestFixture]
public sealed class JwksTests : TestKeysFixture
{
    private const int WaitMilliseconds = 20_000;
    private RSA _rsa2 = null!;
    private DirectoryInfo _dir = null!;
    private string _jwksPath = null!;

    [OneTimeSetUp]
    public void CreateSecondRsaKey() => _rsa2 = RSA.Create(2048);

    [OneTimeTearDown]
    public void DisposeSecondRsaKey() => _rsa2.Dispose();

    [SetUp]
    public void CreateDirectory()
    {
        _dir = Directory.CreateTempSubdirectory("edge-auth-jwks-");
        _jwksPath = Path.Combine(_dir.FullName, "jwks.json");
    }

    [TearDown]
    public void DeleteDirectory() => _dir.Delete(recursive: true);

    [Test]
    public void Keys_from_the_jwks_file_validate_rs_es_and_hs_tokens_selected_by_kid()
    {
        WriteJwks(TestKeys.Jwks(
            TestKeys.RsaJwk(Keys.Rsa, "j-rsa"),
            TestKeys.RsaJwk(_rsa2, "j-rsa-2"),
            TestKeys.EcJwk(Keys.Ec, "j-ec"),
            TestKeys.OctJwk(Keys.HmacSecret, "j-hs")));
        using var validator = new JwtValidator(JwksOptions());

        Assert.That(validator.KeyCount, Is.EqualTo(4));
        Assert.That(validator.Validate(TestJwt.Rs256(Keys.Rsa, "j-rsa", TestJwt.ValidClaims())).Succeeded, Is.True);
        Assert.That(validator.Validate(TestJwt.Rs256(_rsa2, "j-rsa-2", TestJwt.ValidClaims())).Succeeded, Is.True);
        Assert.That(validator.Validate(TestJwt.Es256(Keys.Ec, "j-ec", TestJwt.ValidClaims())).Succeeded, Is.True);
        Assert.That(validator.Validate(TestJwt.Hs256(Keys.HmacSecret, "j-hs", TestJwt.ValidClaims())).Succeeded, Is.True);

        // The kid selects exactly one key: key 1's token under key 2's kid does not verify.
        Assert.That(validator.Validate(TestJwt.Rs256(Keys.Rsa, "j-rsa-2", TestJwt.ValidClaims())).Failure, Is.EqualTo(AuthFailureReason.BadSignature));
        Assert.That(validator.Validate(TestJwt.Rs256(Keys.Rsa, "j-missing", TestJwt.ValidClaims())).Failure, Is.EqualTo(AuthFailureReason.UnknownKid));
    }

    [Test]
    public void Jwks_keys_are_bound_to_their_key_type_so_hs256_with_the_rsa_jwk_is_refused()
    {
        WriteJwks(TestKeys.Jwks(TestKeys.RsaJwk(Keys.Rsa, "j-rsa", alg: null), TestKeys.OctJwk(Keys.HmacSecret, "j-hs", alg: null)));
        using var validator = new JwtValidator(JwksOptions());
        var publicKeyAsSecret = Keys.Rsa.ExportSubjectPublicKeyInfo();

        Assert.That(validator.Validate(TestJwt.Hs256(publicKeyAsSecret, "j-rsa", TestJwt.ValidClaims())).Failure, Is.EqualTo(AuthFailureReason.AlgorithmNotAllowed));
        Assert.That(validator.Validate(TestJwt.Hs256(publicKeyAsSecret, null, TestJwt.ValidClaims())).Failure, Is.EqualTo(AuthFailureReason.BadSignature));
        Assert.That(validator.Validate(TestJwt.Rs256(Keys.Rsa, "j-rsa", TestJwt.ValidClaims())).Succeeded, Is.True, "alg inferred from kty");
    }

    [Test]
    public void Rsa_jwk_declaring_hs256_is_an_error()
    {
        WriteJwks(TestKeys.Jwks(TestKeys.RsaJwk(Keys.Rsa, "j-rsa", alg: "HS256")));

        Assert.That(JwksOptions().Validate(), Has.One.Contains("kty 'RSA' cannot be used with alg HS256"));
    }

    [Test]
    public void Unusable_keys_are_skipped_and_usable_ones_kept()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var p = p384.ExportParameters(false);
        var p384Jwk = "{\"kty\":\"EC\",\"crv\":\"P-384\",\"kid\":\"p384\",\"x\":\"" + System.Buffers.Text.Base64Url.EncodeToString(p.Q.X) +
            "\",\"y\":\"" + System.Buffers.Text.Base64Url.EncodeToString(p.Q.Y) + "\"}";
        var encryptionKey = TestKeys.RsaJwk(_rsa2, "enc").Replace("\"use\":\"sig\"", "\"use\":\"enc\"", StringComparison.Ordinal);
        var ps256 = TestKeys.RsaJwk(_rsa2, "ps", alg: "PS256");
        var okp = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"ed\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\"}";
        WriteJwks(TestKeys.Jwks(p384Jwk, encryptionKey, ps256, okp, TestKeys.RsaJwk(Keys.Rsa, "j-rsa")));

        using var validator = new JwtValidator(JwksOptions());

        Assert.That(validator.KeyCount, Is.EqualTo(1));
        Assert.That(validator.Validate(TestJwt.Rs256(_rsa2, "enc", TestJwt.ValidClaims())).Failure, Is.EqualTo(AuthFailureReason.UnknownKid));
    }

    [TestCase("{\"keys\":[]}", "no usable key")]
    [TestCase("[]", "expected an object")]
    [TestCase("{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}", "too short")]
    [TestCase("{\"keys\":[{\"kty\":\"RSA\",\"e\":\"AQAB\"}]}", "missing 'n'")]
    [TestCase("{\"keys\":[{\"kty\":\"oct\",\"k\":\"c2hvcnQ\"}]}", "too short")]
    [TestCase("{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"y\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}]}", "not on P-256")]
    [TestCase("{\"keys\":[{\"kid\":\"x\"}]}", "no string 'kty'")]
    [TestCase("{\"keys\":[1]}", "not an object")]
    [TestCase("{\"keys\":[],\"keys\":[]}", "not valid JSON")]
    [TestCase("{\"keys\":[", "not valid JSON")]
    public void Bad_jwks_files_are_configuration_errors(string json, string expected)
    {
        WriteJwks(json);

        Assert.That(JwksOptions().Validate(), Has.Some.Contains(expected));
    }

    [Test]
    public void Jwks_kid_clashing_with_a_configured_key_is_an_error()
    {
        WriteJwks(TestKeys.Jwks(TestKeys.RsaJwk(_rsa2, TestKeys.RsaKid)));
        var options = JwksOptions();
        options.Keys = [Keys.RsaKey];

        Assert.That(options.Validate(), Has.One.Contains("kid 'rsa-1' is already used"));
    }

    [Test]
    public void Changed_jwks_file_is_picked_up_by_the_poll()
    {
        using var validator = ValidatorOverJwks(1, TestKeys.Jwks(TestKeys.RsaJwk(Keys.Rsa, "old")));
        var newToken = TestJwt.Rs256(_rsa2, "new", TestJwt.ValidClaims());
        Assert.That(validator.Validate(newToken).Failure, Is.EqualTo(AuthFailureReason.UnknownKid));

        WriteJwks(TestKeys.Jwks(TestKeys.RsaJwk(Keys.Rsa, "old"), TestKeys.RsaJwk(_rsa2, "new")));

        Assert.That(() => validator.Validate(newToken).Succeeded, Is.True.After(WaitMilliseconds).MilliSeconds.PollEvery(50).MilliSeconds);
        Assert.That(validator.Counters.JwksReloads, Is.GreaterThanOrEqualTo(1));
        Assert.That(validator.KeyCount, Is.EqualTo(2));
    }

    [Test]
    public void Removed_key_stops_validating_after_the_reload()
    {
        using var validator = ValidatorOverJwks(1, TestKeys.Jwks(TestKeys.RsaJwk(Keys.Rsa, "a"), TestKeys.RsaJwk(_rsa2, "b")));
        var tokenB = TestJwt.Rs256(_rsa2, "b", TestJwt.ValidClaims());
        Assert.That(validator.Validate(tokenB).Succeeded, Is.True);

        WriteJwks(TestKeys.Jwks(TestKeys.RsaJwk(Keys.Rsa, "a")));

        Assert.That(() => validator.Validate(tokenB).Failure, Is.EqualTo(AuthFailureReason.UnknownKid).After(WaitMilliseconds).MilliSeconds.PollEvery(50).MilliSeconds);
    }

    [Test]
    public void Corrupt_jwks_file_keeps_the_old_keys_and_counts_the_failure()
    {
        var logger = new CapturingLogger<JwtValidator>();
        using var validator = ValidatorOverJwks(1, TestKeys.Jwks(TestKeys.RsaJwk(Keys.Rsa, "old")), logger);
        var oldToken = TestJwt.Rs256(Keys.Rsa, "old", TestJwt.ValidClaims());

        WriteJwks("{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"half-writ");

        Assert.That(() => validator.Counters.JwksReloadFailures, Is.GreaterThanOrEqualTo(1).After(WaitMilliseconds).MilliSeconds.PollEvery(50).MilliSeconds);
        Assert.That(validator.Validate(oldToken).Succeeded, Is.True);
        Assert.That(validator.KeyCount, Is.EqualTo(1));
        Assert.That(logger.Entries, Has.Some.Contains("reload failed"));

        // Fixing the file recovers on the next poll.
        WriteJwks(TestKeys.Jwks(TestKeys.RsaJwk(Keys.Rsa, "old"), TestKeys.RsaJwk(_rsa2, "new")));
        var newToken = TestJwt.Rs256(_rsa2, "new", TestJwt.ValidClaims());
        Assert.That(() => validator.Validate(newToken).Succeeded, Is.True.After(WaitMilliseconds).MilliSeconds.PollEvery(50).MilliSeconds);
    }

    [Test]
    public void Deleted_jwks_file_keeps_the_old_keys()
    {
        using var validator = ValidatorOverJwks(1, TestKeys.Jwks(TestKeys.RsaJwk(Keys.Rsa, "old")));

        File.Delete(_jwksPath);

        Assert.That(() => validator.Counters.JwksReloadFailures, Is.GreaterThanOrEqualTo(1).After(WaitMilliseconds).MilliSeconds.PollEvery(50).MilliSeconds);
        Assert.That(validator.Validate(TestJwt.Rs256(Keys.Rsa, "old", TestJwt.ValidClaims())).Succeeded, Is.True);
    }

    [Test]
    public void Explicit_reload_replaces_keys_or_keeps_them_on_failure()
    {
        using var validator = ValidatorOverJwks(0, TestKeys.Jwks(TestKeys.RsaJwk(Keys.Rsa, "old")));

        WriteJwks(TestKeys.Jwks(TestKeys.RsaJwk(_rsa2, "new")));
        Assert.That(validator.ReloadJwks(), Is.True);
        Assert.That(validator.Validate(TestJwt.Rs256(_rsa2, "new", TestJwt.ValidClaims())).Succeeded, Is.True);
        Assert.That(validator.Validate(TestJwt.Rs256(Keys.Rsa, "old", TestJwt.ValidClaims())).Failure, Is.EqualTo(AuthFailureReason.UnknownKid));

        WriteJwks("not json");
        Assert.That(validator.ReloadJwks(), Is.False);
        Assert.That(validator.Counters.JwksReloadFailures, Is.EqualTo(1));
        Assert.That(validator.Validate(TestJwt.Rs256(_rsa2, "new", TestJwt.ValidClaims())).Succeeded, Is.True);
    }

    [Test]
    public void Reload_that_would_clash_with_a_configured_kid_keeps_the_old_keys()
    {
        WriteJwks(TestKeys.Jwks(TestKeys.RsaJwk(_rsa2, "jwks-1")));
        var options = JwksOptions();
        options.Keys = [Keys.EcKey];
        options.JwksReloadSeconds = 0;
        using var validator = new JwtValidator(options);

        WriteJwks(TestKeys.Jwks(TestKeys.RsaJwk(_rsa2, TestKeys.EcKid)));

        Assert.That(validator.ReloadJwks(), Is.False);
        Assert.That(validator.Validate(TestJwt.Rs256(_rsa2, "jwks-1", TestJwt.ValidClaims())).Succeeded, Is.True);
        Assert.That(validator.Validate(TestJwt.Es256(Keys.Ec, TestKeys.EcKid, TestJwt.ValidClaims())).Succeeded, Is.True);
    }

    [Test]
    public void Concurrent_validations_succeed_while_the_key_set_is_reloaded()
    {
        WriteJwks(TestKeys.Jwks(TestKeys.RsaJwk(Keys.Rsa, "stable"), TestKeys.EcJwk(Keys.Ec, "ec")));
        var options = JwksOptions();
        options.Keys = [Keys.HmacKey];
        using var validator = new JwtValidator(options);
        var tokens = new[]
        {
            TestJwt.Rs256(Keys.Rsa, "stable", TestJwt.ValidClaims()),
            TestJwt.Es256(Keys.Ec, "ec", TestJwt.ValidClaims()),
            TestJwt.Hs256(Keys.HmacSecret, TestKeys.HmacKid, TestJwt.ValidClaims()),
        };
        var refused = 0;
        using var stop = new CancellationTokenSource();

        var workers = Enumerable.Range(0, 3).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 150 && !stop.IsCancellationRequested; i++)
            {
                if (!validator.Validate(tokens[(worker + i) % tokens.Length]).Succeeded)
                {
                    Interlocked.Increment(ref refused);
                }
            }
        })).ToArray();
        for (var reload = 0; reload < 20; reload++)
        {
            // Alternate between two files that both hold the keys in use.
            WriteJwks(reload % 2 == 0
                ? TestKeys.Jwks(TestKeys.EcJwk(Keys.Ec, "ec"), TestKeys.RsaJwk(Keys.Rsa, "stable"), TestKeys.RsaJwk(_rsa2, "extra"))
                : TestKeys.Jwks(TestKeys.RsaJwk(Keys.Rsa, "stable"), TestKeys.EcJwk(Keys.Ec, "ec")));
            Assert.That(validator.ReloadJwks(), Is.True);
        }

        var finished = Task.WaitAll(workers, TimeSpan.FromSeconds(60));
        stop.Cancel();

        Assert.That(finished, Is.True, "workers finished");
        Assert.That(refused, Is.Zero);
        Assert.That(validator.Counters.Succeeded, Is.EqualTo(450));
        Assert.That(validator.Counters.JwksReloads, Is.EqualTo(20));
    }

    private AuthOptions JwksOptions() => new()
    {
        Issuer = TestJwt.Issuer,
        Audience = TestJwt.Audience,
        JwksFile = _jwksPath,
        JwksReloadSeconds = 0,
    };

    /// <summary>Writes a new file and renames it over the old one, as deployment tools do (readers never see half a file).</summary>
    /// <summary>A validator over the JWKS file, written with <paramref name="jwks"/>, that re-reads it every <paramref name="reloadSeconds"/> (0: only when asked).</summary>
    private JwtValidator ValidatorOverJwks(int reloadSeconds, string jwks, CapturingLogger<JwtValidator>? logger = null)
    {
        WriteJwks(jwks);
        var options = JwksOptions();
        options.JwksReloadSeconds = reloadSeconds;
        return new JwtValidator(options, logger);
    }

    private void WriteJwks(string json)
    {
        var temporary = _jwksPath + ".tmp";
        File.WriteAllText(temporary, json);
        File.Move(temporary, _jwksPath, overwrite: true);
    }
}
