using System.Security.Cryptography;
using System.Text;
using Edge.Server.Auth;

namespace Edge.Server.Tests.Auth;

[TestFixture]
public sealed class JwtValidatorTests : TestKeysFixture
{
    private JwtValidator _validator = null!;

    [SetUp]
    public void CreateValidator() => _validator = new JwtValidator(Keys.Options());

    [TearDown]
    public void DisposeValidator() => _validator.Dispose();

    [Test]
    public void Valid_hs256_token_passes_with_its_claims()
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        var token = TestJwt.Hs256(Keys.HmacSecret, TestKeys.HmacKid, TestJwt.Claims(exp, subject: "u-42", tenant: "t-7"));

        var result = _validator.Validate(token);

        Assert.That(result.Succeeded, Is.True, result.ToString());
        Assert.That(result.Failure, Is.EqualTo(AuthFailureReason.None));
        var identity = result.Identity!;
        Assert.That(identity.Subject, Is.EqualTo("u-42"));
        Assert.That(identity.Tenant, Is.EqualTo("t-7"));
        Assert.That(identity.ExpiresAtUnixSeconds, Is.EqualTo(exp));
        Assert.That(identity.ExpiresAt, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(exp)));
        Assert.That(identity.IsAdmin, Is.False);
        Assert.That(identity.KeyId, Is.EqualTo(TestKeys.HmacKid));
    }

    [Test]
    public void Valid_rs256_token_passes()
    {
        var result = _validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.ValidClaims()));

        Assert.That(result.Succeeded, Is.True, result.ToString());
        Assert.That(result.Identity!.KeyId, Is.EqualTo(TestKeys.RsaKid));
    }

    [Test]
    public void Valid_es256_token_passes()
    {
        var result = _validator.Validate(TestJwt.Es256(Keys.Ec, TestKeys.EcKid, TestJwt.ValidClaims()));

        Assert.That(result.Succeeded, Is.True, result.ToString());
        Assert.That(result.Identity!.KeyId, Is.EqualTo(TestKeys.EcKid));
    }

    [Test]
    public void Token_without_kid_is_verified_by_the_keys_of_its_algorithm()
    {
        Assert.That(_validator.Validate(TestJwt.Rs256(Keys.Rsa, null, TestJwt.ValidClaims())).Succeeded, Is.True);
        Assert.That(_validator.Validate(TestJwt.Es256(Keys.Ec, null, TestJwt.ValidClaims())).Succeeded, Is.True);
        Assert.That(_validator.Validate(TestJwt.Hs256(Keys.HmacSecret, null, TestJwt.ValidClaims())).Succeeded, Is.True);
    }

    [Test]
    public void Expired_token_fails_with_expired()
    {
        var token = TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.Claims(DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds()));

        Assert.That(_validator.Validate(token).Failure, Is.EqualTo(AuthFailureReason.Expired));
    }

    [Test]
    public void Token_not_valid_yet_fails_with_not_yet_valid()
    {
        var now = DateTimeOffset.UtcNow;
        var claims = TestJwt.Claims(now.AddHours(2).ToUnixTimeSeconds(), notBeforeUnix: now.AddHours(1).ToUnixTimeSeconds());

        Assert.That(_validator.Validate(TestJwt.Es256(Keys.Ec, TestKeys.EcKid, claims)).Failure, Is.EqualTo(AuthFailureReason.NotYetValid));
    }

    [TestCase(29, AuthFailureReason.None)]
    [TestCase(30, AuthFailureReason.None)]
    [TestCase(31, AuthFailureReason.Expired)]
    public void Expiry_is_checked_with_the_default_30_second_skew(int secondsAfterExpiry, AuthFailureReason expected)
    {
        var exp = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);
        var clock = new ManualTimeProvider(exp.AddSeconds(secondsAfterExpiry));
        using var validator = new JwtValidator(Keys.Options(), timeProvider: clock);

        var result = validator.Validate(TestJwt.Hs256(Keys.HmacSecret, TestKeys.HmacKid, TestJwt.Claims(exp.ToUnixTimeSeconds())));

        Assert.That(result.Failure, Is.EqualTo(expected));
    }

    [TestCase(-29, AuthFailureReason.None)]
    [TestCase(-31, AuthFailureReason.NotYetValid)]
    public void Not_before_is_checked_with_the_default_30_second_skew(int secondsFromNotBefore, AuthFailureReason expected)
    {
        var nbf = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);
        var clock = new ManualTimeProvider(nbf.AddSeconds(secondsFromNotBefore));
        using var validator = new JwtValidator(Keys.Options(), timeProvider: clock);
        var claims = TestJwt.Claims(nbf.AddHours(1).ToUnixTimeSeconds(), notBeforeUnix: nbf.ToUnixTimeSeconds());

        Assert.That(validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, claims)).Failure, Is.EqualTo(expected));
    }

    [Test]
    public void Configured_skew_replaces_the_default()
    {
        var exp = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);
        var token = TestJwt.Hs256(Keys.HmacSecret, TestKeys.HmacKid, TestJwt.Claims(exp.ToUnixTimeSeconds()));
        var clock = new ManualTimeProvider(exp.AddSeconds(5));
        using var strict = new JwtValidator(Keys.Options(clockSkewSeconds: 0), timeProvider: clock);
        using var lenient = new JwtValidator(Keys.Options(clockSkewSeconds: 120), timeProvider: clock);

        Assert.That(strict.Validate(token).Failure, Is.EqualTo(AuthFailureReason.Expired));
        Assert.That(lenient.Validate(token).Succeeded, Is.True);

        clock.Now = exp.AddSeconds(121);
        Assert.That(lenient.Validate(token).Failure, Is.EqualTo(AuthFailureReason.Expired));
    }

    [Test]
    public void Token_without_exp_fails_with_missing_expiry()
    {
        var token = TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.Claims(expiresUnix: null));

        Assert.That(_validator.Validate(token).Failure, Is.EqualTo(AuthFailureReason.MissingExpiry));
    }

    [Test]
    public void Wrong_issuer_fails_with_wrong_issuer()
    {
        var claims = TestJwt.Claims(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(), issuer: "https://evil.test");

        Assert.That(_validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, claims)).Failure, Is.EqualTo(AuthFailureReason.WrongIssuer));
    }

    [Test]
    public void Wrong_audience_fails_with_wrong_audience()
    {
        var claims = TestJwt.Claims(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(), audience: "another-service");

        Assert.That(_validator.Validate(TestJwt.Es256(Keys.Ec, TestKeys.EcKid, claims)).Failure, Is.EqualTo(AuthFailureReason.WrongAudience));
    }

    [Test]
    public void Tampered_payload_fails_with_bad_signature()
    {
        var token = TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.ValidClaims());
        var parts = token.Split('.');
        var forgedClaims = TestJwt.ValidClaims(scope: "edge:admin");
        var forged = parts[0] + "." + TestJwt.Segment(forgedClaims) + "." + parts[2];

        Assert.That(_validator.Validate(forged).Failure, Is.EqualTo(AuthFailureReason.BadSignature));
    }

    [TestCase("HS256")]
    [TestCase("RS256")]
    [TestCase("ES256")]
    public void Tampered_signature_fails_with_bad_signature(string algorithm)
    {
        var claims = TestJwt.ValidClaims();
        var token = algorithm switch
        {
            "HS256" => TestJwt.Hs256(Keys.HmacSecret, TestKeys.HmacKid, claims),
            "RS256" => TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, claims),
            _ => TestJwt.Es256(Keys.Ec, TestKeys.EcKid, claims),
        };
        var signatureStart = token.LastIndexOf('.') + 1;
        var flipped = token[signatureStart + 2] == 'A' ? 'B' : 'A';
        var tampered = token[..(signatureStart + 2)] + flipped + token[(signatureStart + 3)..];

        Assert.That(_validator.Validate(tampered).Failure, Is.EqualTo(AuthFailureReason.BadSignature));
    }

    [Test]
    public void Token_signed_by_another_key_with_a_known_kid_fails_with_bad_signature()
    {
        using var attacker = RSA.Create(2048);

        var result = _validator.Validate(TestJwt.Rs256(attacker, TestKeys.RsaKid, TestJwt.ValidClaims()));

        Assert.That(result.Failure, Is.EqualTo(AuthFailureReason.BadSignature));
    }

    [TestCase("none")]
    [TestCase("None")]
    [TestCase("NONE")]
    [TestCase("")]
    public void Unsigned_token_fails_with_algorithm_not_allowed(string alg)
    {
        var token = TestJwt.Unsigned(alg, TestJwt.ValidClaims());

        Assert.That(_validator.Validate(token).Failure, Is.EqualTo(AuthFailureReason.AlgorithmNotAllowed));
    }

    [Test]
    public void Alg_none_with_a_copied_signature_still_fails()
    {
        var genuine = TestJwt.Hs256(Keys.HmacSecret, TestKeys.HmacKid, TestJwt.ValidClaims());
        var parts = genuine.Split('.');
        var forged = TestJwt.Segment(TestJwt.Header("none", TestKeys.HmacKid)) + "." + parts[1] + "." + parts[2];

        Assert.That(_validator.Validate(forged).Failure, Is.EqualTo(AuthFailureReason.AlgorithmNotAllowed));
    }

    [TestCase("HS512")]
    [TestCase("RS384")]
    [TestCase("PS256")]
    [TestCase("hs256")]
    public void Unsupported_algorithm_fails_with_algorithm_not_allowed(string alg)
    {
        var token = TestJwt.Build(TestJwt.Header(alg, null), TestJwt.ValidClaims(), data => HMACSHA512.HashData(Keys.HmacSecret, data));

        Assert.That(_validator.Validate(token).Failure, Is.EqualTo(AuthFailureReason.AlgorithmNotAllowed));
    }

    [Test]
    public void Algorithm_outside_the_allow_list_fails_even_with_a_valid_signature()
    {
        var options = Keys.Options();
        options.AllowedAlgorithms = ["RS256", "ES256"];
        options.Keys = [Keys.RsaKey, Keys.EcKey];
        using var validator = new JwtValidator(options);

        var token = TestJwt.Hs256(Keys.HmacSecret, null, TestJwt.ValidClaims());

        Assert.That(validator.Validate(token).Failure, Is.EqualTo(AuthFailureReason.AlgorithmNotAllowed));
        Assert.That(validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.ValidClaims())).Succeeded, Is.True);
    }

    /// <summary>
    /// The classic HS/RS confusion attack: the attacker takes the server's RSA public key (it is public), uses its
    /// bytes as an HMAC secret and sends an HS256 token. A validator that hands the RSA key to HMAC would accept it.
    /// </summary>
    [Test]
    public void Hs256_token_signed_with_the_rsa_public_key_as_hmac_secret_is_refused()
    {
        var claims = TestJwt.ValidClaims(scope: "edge:admin");
        var publicKeyPem = Encoding.ASCII.GetBytes(Keys.Rsa.ExportSubjectPublicKeyInfoPem());
        var publicKeyDer = Keys.Rsa.ExportSubjectPublicKeyInfo();
        var pkcs1Der = Keys.Rsa.ExportRSAPublicKey();

        foreach (var secret in new[] { publicKeyPem, publicKeyDer, pkcs1Der })
        {
            // With the RSA key's kid: the kid selects an RS256-bound key, so HS256 is refused before any crypto.
            var withKid = _validator.Validate(TestJwt.Hs256(secret, TestKeys.RsaKid, claims));
            Assert.That(withKid.Failure, Is.EqualTo(AuthFailureReason.AlgorithmNotAllowed));

            // Without kid: only HS256-bound keys are tried, and none of them is the public key.
            var withoutKid = _validator.Validate(TestJwt.Hs256(secret, null, claims));
            Assert.That(withoutKid.Failure, Is.EqualTo(AuthFailureReason.BadSignature));
        }
    }

    [Test]
    public void Hs256_confusion_is_refused_when_only_rsa_keys_are_configured_and_hs256_is_allowed()
    {
        var options = Keys.Options();
        options.Keys = [Keys.RsaKey];
        using var validator = new JwtValidator(options);
        var secret = Encoding.ASCII.GetBytes(Keys.Rsa.ExportSubjectPublicKeyInfoPem());

        Assert.That(validator.Validate(TestJwt.Hs256(secret, null, TestJwt.ValidClaims())).Failure, Is.EqualTo(AuthFailureReason.UnknownKid));
        Assert.That(validator.Validate(TestJwt.Hs256(secret, TestKeys.RsaKid, TestJwt.ValidClaims())).Failure, Is.EqualTo(AuthFailureReason.AlgorithmNotAllowed));
    }

    [Test]
    public void Token_with_a_crit_header_is_refused_because_no_extension_is_understood()
    {
        var header = TestJwt.Header("HS256", TestKeys.HmacKid);
        header["crit"] = new[] { "b64" };
        header["b64"] = false;

        var token = TestJwt.Build(header, TestJwt.ValidClaims(), data => HMACSHA256.HashData(Keys.HmacSecret, data));

        Assert.That(_validator.Validate(token).Failure, Is.EqualTo(AuthFailureReason.Invalid));
    }

    [Test]
    public void Embedded_jwk_and_jku_headers_are_ignored_for_key_selection()
    {
        using var attacker = RSA.Create(2048);
        var header = TestJwt.Header("RS256", null);
        header["jku"] = "https://attacker.test/jwks.json";
        header["x5u"] = "https://attacker.test/cert.pem";

        var token = TestJwt.Build(header, TestJwt.ValidClaims(), data => attacker.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        Assert.That(_validator.Validate(token).Failure, Is.EqualTo(AuthFailureReason.BadSignature));
    }

    [Test]
    public void Token_whose_kid_names_a_key_of_another_algorithm_fails_with_algorithm_not_allowed()
    {
        var token = TestJwt.Rs256(Keys.Rsa, TestKeys.EcKid, TestJwt.ValidClaims());

        Assert.That(_validator.Validate(token).Failure, Is.EqualTo(AuthFailureReason.AlgorithmNotAllowed));
    }

    [Test]
    public void Unknown_kid_fails_with_unknown_kid()
    {
        var token = TestJwt.Rs256(Keys.Rsa, "rsa-unknown", TestJwt.ValidClaims());

        Assert.That(_validator.Validate(token).Failure, Is.EqualTo(AuthFailureReason.UnknownKid));
    }

    [Test]
    public void Missing_tenant_claim_fails_with_missing_tenant()
    {
        var claims = TestJwt.Claims(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(), tenant: null);

        Assert.That(_validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, claims)).Failure, Is.EqualTo(AuthFailureReason.MissingTenant));
    }

    [Test]
    public void Empty_or_non_string_tenant_fails_with_missing_tenant_even_if_signed()
    {
        var empty = TestJwt.Claims(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(), tenant: "");
        Assert.That(_validator.Validate(TestJwt.Es256(Keys.Ec, TestKeys.EcKid, empty)).Failure, Is.EqualTo(AuthFailureReason.MissingTenant));
        foreach (object value in new object[] { 42L, true, new[] { "acme", "globex" } })
        {
            var claims = TestJwt.Claims(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(), tenant: null);
            claims["tenant"] = value;
            Assert.That(_validator.Validate(TestJwt.Es256(Keys.Ec, TestKeys.EcKid, claims)).Failure, Is.EqualTo(AuthFailureReason.MissingTenant), $"tenant {value}");
        }
    }

    [Test]
    public void Tenant_claim_name_is_configurable()
    {
        var options = Keys.Options();
        options.TenantClaim = "org";
        using var validator = new JwtValidator(options);
        var claims = TestJwt.ValidClaims();
        claims["org"] = "globex";

        var result = validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, claims));

        Assert.That(result.Identity?.Tenant, Is.EqualTo("globex"));
    }

    [Test]
    public void Non_string_subject_is_refused()
    {
        var claims = TestJwt.ValidClaims();
        claims["sub"] = new[] { "alice" };

        // IdentityModel already refuses a non-string registered claim while parsing (Malformed); our own claim
        // reader would report MissingSubject. Either way the token is refused.
        Assert.That(_validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, claims)).Failure, Is.AnyOf(AuthFailureReason.Malformed, AuthFailureReason.MissingSubject));
    }

    [Test]
    public void Scope_of_another_json_type_grants_no_admin()
    {
        var claims = TestJwt.ValidClaims(scope: true);

        Assert.That(_validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, claims)).Identity?.IsAdmin, Is.False);
    }

    [Test]
    public void Missing_subject_fails_with_missing_subject()
    {
        var claims = TestJwt.Claims(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(), subject: null);

        Assert.That(_validator.Validate(TestJwt.Hs256(Keys.HmacSecret, TestKeys.HmacKid, claims)).Failure, Is.EqualTo(AuthFailureReason.MissingSubject));
    }

    [TestCase("edge:admin", true)]
    [TestCase("edge:read edge:admin", true)]
    [TestCase("edge:read", false)]
    [TestCase("edge:administrator", false)]
    [TestCase("xedge:admin", false)]
    public void Admin_scope_is_found_in_a_space_separated_scope_string(string scope, bool isAdmin)
    {
        var result = _validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.ValidClaims(scope: scope)));

        Assert.That(result.Identity?.IsAdmin, Is.EqualTo(isAdmin));
    }

    [Test]
    public void Admin_scope_is_found_in_a_scope_array()
    {
        var admin = _validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.ValidClaims(scope: new[] { "edge:read", "edge:admin" })));
        var reader = _validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.ValidClaims(scope: new[] { "edge:read" })));

        Assert.That(admin.Identity?.IsAdmin, Is.True);
        Assert.That(reader.Identity?.IsAdmin, Is.False);
    }

    [Test]
    public void Admin_scope_and_scope_claim_are_configurable()
    {
        var options = Keys.Options();
        options.ScopeClaim = "scp";
        options.AdminScope = "ops";
        using var validator = new JwtValidator(options);
        var claims = TestJwt.ValidClaims(scope: "edge:admin");
        claims["scp"] = "read ops";

        Assert.That(validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, claims)).Identity?.IsAdmin, Is.True);
        Assert.That(validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.ValidClaims(scope: "edge:admin"))).Identity?.IsAdmin, Is.False);
    }

    [TestCase(null, AuthFailureReason.Missing)]
    [TestCase("", AuthFailureReason.Missing)]
    [TestCase("not-a-jwt", AuthFailureReason.Malformed)]
    [TestCase("a.b", AuthFailureReason.Malformed)]
    [TestCase("a.b.c.d", AuthFailureReason.Malformed)]
    [TestCase(".payload.sig", AuthFailureReason.Malformed)]
    [TestCase("eyJ!.eyJ.sig", AuthFailureReason.Malformed)]
    [TestCase("bm90IGpzb24.bm90IGpzb24.c2ln", AuthFailureReason.Malformed)]
    [TestCase("a b.c d.e f", AuthFailureReason.Malformed)]
    public void Malformed_input_is_refused_without_throwing(string? token, AuthFailureReason expected)
    {
        Assert.That(_validator.Validate(token).Failure, Is.EqualTo(expected));
    }

    [Test]
    public void Five_segment_jwe_is_refused_as_malformed()
    {
        var jwe = TestJwt.Segment(TestJwt.Header("RSA-OAEP", null)) + ".a.b.c.d";

        Assert.That(_validator.Validate(jwe).Failure, Is.EqualTo(AuthFailureReason.Malformed));
    }

    [TestCase("exp", "tomorrow")]
    [TestCase("exp", -1L)]
    [TestCase("exp", 1e300)]
    [TestCase("exp", 253402300800L)]
    [TestCase("nbf", "yesterday")]
    [TestCase("nbf", true)]
    public void Exp_or_nbf_that_is_not_a_number_in_range_is_malformed(string claim, object value)
    {
        var claims = TestJwt.ValidClaims();
        claims[claim] = value;

        Assert.That(_validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, claims)).Failure, Is.EqualTo(AuthFailureReason.Malformed));
    }

    [Test]
    public void Fractional_exp_is_accepted_and_truncated()
    {
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var claims = TestJwt.ValidClaims();
        claims["exp"] = exp + 0.75;

        var result = _validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, claims));

        Assert.That(result.Identity?.ExpiresAtUnixSeconds, Is.EqualTo(exp));
    }

    [Test]
    public void Nbf_after_exp_is_invalid()
    {
        var now = DateTimeOffset.UtcNow;
        var claims = TestJwt.Claims(now.AddMinutes(5).ToUnixTimeSeconds(), notBeforeUnix: now.AddMinutes(6).ToUnixTimeSeconds());

        Assert.That(_validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, claims)).Failure, Is.EqualTo(AuthFailureReason.Invalid));
    }

    [Test]
    public void Claim_given_twice_in_the_payload_is_malformed()
    {
        var header = TestJwt.Segment(TestJwt.Header("HS256", TestKeys.HmacKid));
        var exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
        var json = $"{{\"iss\":\"{TestJwt.Issuer}\",\"aud\":\"{TestJwt.Audience}\",\"sub\":\"alice\",\"tenant\":\"acme\",\"tenant\":\"globex\",\"exp\":{exp}}}";
        var signingInput = header + "." + System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json));
        var token = signingInput + "." + System.Buffers.Text.Base64Url.EncodeToString(HMACSHA256.HashData(Keys.HmacSecret, Encoding.ASCII.GetBytes(signingInput)));

        Assert.That(_validator.Validate(token).Failure, Is.AnyOf(AuthFailureReason.Malformed, AuthFailureReason.Invalid));
    }

    [Test]
    public void Configured_token_length_limit_is_exposed_and_enforced()
    {
        var options = Keys.Options();
        options.MaxTokenLength = 300;
        using var validator = new JwtValidator(options);
        var token = TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.ValidClaims());

        Assert.That(validator.MaxTokenLength, Is.EqualTo(300));
        Assert.That(token, Has.Length.GreaterThan(300));
        Assert.That(validator.Validate(token).Failure, Is.EqualTo(AuthFailureReason.TooLarge));
        Assert.That(BearerTokenExtractor.Extract("Bearer " + token, "/", "", validator.MaxTokenLength).Failure, Is.EqualTo(AuthFailureReason.TooLarge));
    }

    [Test]
    public void Token_longer_than_the_limit_fails_with_too_large()
    {
        var claims = TestJwt.ValidClaims();
        claims["padding"] = new string('x', AuthOptions.DefaultMaxTokenLength);

        Assert.That(_validator.Validate(TestJwt.Hs256(Keys.HmacSecret, TestKeys.HmacKid, claims)).Failure, Is.EqualTo(AuthFailureReason.TooLarge));
    }

    [Test]
    public void Refresh_with_same_subject_and_tenant_succeeds_with_the_new_expiry()
    {
        var first = _validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.Claims(DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeSeconds())));
        var laterExp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();

        var refreshed = _validator.ValidateRefresh(first.Identity!, TestJwt.Es256(Keys.Ec, TestKeys.EcKid, TestJwt.Claims(laterExp)));

        Assert.That(refreshed.Succeeded, Is.True, refreshed.ToString());
        Assert.That(refreshed.Identity!.ExpiresAtUnixSeconds, Is.EqualTo(laterExp));
    }

    [TestCase("mallory", "acme")]
    [TestCase("alice", "globex")]
    [TestCase("Alice", "acme")]
    public void Refresh_naming_another_subject_or_tenant_fails_with_token_mismatch(string subject, string tenant)
    {
        var original = _validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.ValidClaims())).Identity!;
        var fresh = TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.Claims(DateTimeOffset.UtcNow.AddHours(2).ToUnixTimeSeconds(), subject, tenant));

        var result = _validator.ValidateRefresh(original, fresh);

        Assert.That(result.Failure, Is.EqualTo(AuthFailureReason.TokenMismatch));
        Assert.That(result.Code, Is.EqualTo("TOKEN_MISMATCH"));
    }

    [Test]
    public void Refresh_with_an_invalid_token_reports_the_validation_failure()
    {
        var original = _validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.ValidClaims())).Identity!;
        var expired = TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.Claims(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds()));

        Assert.That(_validator.ValidateRefresh(original, expired).Failure, Is.EqualTo(AuthFailureReason.Expired));
    }

    [Test]
    public void Counters_count_successes_and_each_failure_reason()
    {
        _validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.ValidClaims()));
        _validator.Validate(TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.ValidClaims()));
        _validator.Validate(TestJwt.Rs256(Keys.Rsa, "nope", TestJwt.ValidClaims()));
        _validator.Validate(TestJwt.Unsigned("none", TestJwt.ValidClaims()));
        _validator.Validate(BearerTokenExtractor.Extract("", "/prices", ""));

        Assert.That(_validator.Counters.Succeeded, Is.EqualTo(2));
        Assert.That(_validator.Counters.Failed(AuthFailureReason.UnknownKid), Is.EqualTo(1));
        Assert.That(_validator.Counters.Failed(AuthFailureReason.AlgorithmNotAllowed), Is.EqualTo(1));
        Assert.That(_validator.Counters.Failed(AuthFailureReason.Missing), Is.EqualTo(1));
        Assert.That(_validator.Counters.TotalFailed, Is.EqualTo(3));
    }

    [Test]
    public void Validate_accepts_an_extraction_result()
    {
        var token = TestJwt.Es256(Keys.Ec, TestKeys.EcKid, TestJwt.ValidClaims());
        var extraction = BearerTokenExtractor.Extract("Bearer " + token, "/prices", "");

        Assert.That(_validator.Validate(in extraction).Succeeded, Is.True);
        Assert.That(_validator.Validate(BearerTokenExtractor.Extract("", "/prices?token=a&token=b", "")).Failure, Is.EqualTo(AuthFailureReason.MultipleTokens));
    }

    [Test]
    public void Every_reason_has_a_code_and_a_message()
    {
        foreach (var reason in Enum.GetValues<AuthFailureReason>())
        {
            Assert.That(AuthFailureText.Code(reason), Does.Match("^[A-Z_]+$"));
            Assert.That(AuthFailureText.Message(reason), Is.Not.Empty);
        }

        Assert.That(Enum.GetValues<AuthFailureReason>().Select(AuthFailureText.Code).Distinct().Count(), Is.EqualTo(Enum.GetValues<AuthFailureReason>().Length));
    }

    [TestCase("""{"alg":"none","alg":"HS256","kid":"hs-1"}""", "", TestName = "Header alg given twice is malformed")]
    [TestCase("""{"alg":"HS256","kid":"rsa-1","kid":"hs-1"}""", "", TestName = "Header kid given twice is malformed")]
    [TestCase("""{"alg":"HS256","kid":"hs-1"}""", ""","iss":"https://evil.test","iss":"https://issuer.test" """, TestName = "Payload iss given twice is malformed")]
    [TestCase("""{"alg":"HS256","kid":"hs-1"}""", ""","aud":"other","aud":"edge" """, TestName = "Payload aud given twice is malformed")]
    [TestCase("""{"alg":"HS256","kid":"hs-1"}""", ""","x":{"y":1,"y":2}""", TestName = "A nested payload member given twice is malformed")]
    public void A_duplicate_member_in_header_or_payload_is_malformed(string header, string extra)
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        var payload = $$"""{"iss":"https://issuer.test","aud":"edge","sub":"alice","tenant":"acme","exp":{{exp}}{{extra}}}""";

        var duplicated = _validator.Validate(TestJwt.Hs256Raw(Keys.HmacSecret, header, payload));
        var clean = _validator.Validate(TestJwt.Hs256Raw(Keys.HmacSecret, """{"alg":"HS256","kid":"hs-1"}""", $$"""{"iss":"https://issuer.test","aud":"edge","sub":"alice","tenant":"acme","exp":{{exp}}}"""));

        Assert.That(duplicated.Failure, Is.EqualTo(AuthFailureReason.Malformed));
        Assert.That(clean.Succeeded, Is.True, clean.ToString());
    }

    [TestCase(29, AuthFailureReason.None)]
    [TestCase(31, AuthFailureReason.NotYetValid)]
    [TestCase(10 * 365 * 86400, AuthFailureReason.NotYetValid)]
    public void Issued_at_in_the_future_is_refused_beyond_the_default_30_second_skew(int secondsAhead, AuthFailureReason expected)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);
        using var validator = new JwtValidator(Keys.Options(), timeProvider: new ManualTimeProvider(now));
        var payload = $$"""{"iss":"https://issuer.test","aud":"edge","sub":"alice","tenant":"acme","iat":{{now.ToUnixTimeSeconds() + secondsAhead}},"exp":{{now.ToUnixTimeSeconds() + (11L * 365 * 86400)}}}""";

        Assert.That(validator.Validate(TestJwt.Hs256Raw(Keys.HmacSecret, """{"alg":"HS256","kid":"hs-1"}""", payload)).Failure, Is.EqualTo(expected));
    }

    [Test]
    public void An_iat_that_is_not_a_number_is_malformed()
    {
        var exp = DateTimeOffset.UtcNow.AddMinutes(10).ToUnixTimeSeconds();
        var payload = $$"""{"iss":"https://issuer.test","aud":"edge","sub":"alice","tenant":"acme","iat":"now","exp":{{exp}}}""";

        Assert.That(_validator.Validate(TestJwt.Hs256Raw(Keys.HmacSecret, """{"alg":"HS256","kid":"hs-1"}""", payload)).Failure, Is.EqualTo(AuthFailureReason.Malformed));
    }

    [Test]
    public void Time_left_is_measured_to_exp_plus_the_skew_the_same_deadline_admission_uses()
    {
        var exp = DateTimeOffset.FromUnixTimeSeconds(1_900_000_000);
        var clock = new ManualTimeProvider(exp.AddSeconds(-10));
        using var validator = new JwtValidator(Keys.Options(clockSkewSeconds: 30), timeProvider: clock);
        var token = TestJwt.Hs256(Keys.HmacSecret, TestKeys.HmacKid, TestJwt.Claims(exp.ToUnixTimeSeconds()));
        var identity = validator.Validate(token).Identity!;

        Assert.That(validator.TimeLeft(identity), Is.EqualTo(TimeSpan.FromSeconds(40)));
        clock.Now = exp.AddSeconds(10);
        Assert.That(validator.TimeLeft(identity), Is.EqualTo(TimeSpan.FromSeconds(20)), "admitted 10 s after exp, the session has 20 s left, not none");
        clock.Now = exp.AddSeconds(30);
        Assert.That((validator.TimeLeft(identity), validator.Validate(token).Succeeded), Is.EqualTo((TimeSpan.Zero, true)));
        clock.Now = exp.AddSeconds(30).AddMilliseconds(1);
        Assert.That(validator.TimeLeft(identity), Is.LessThan(TimeSpan.Zero));
        Assert.That(validator.Validate(token).Failure, Is.EqualTo(AuthFailureReason.Expired));
    }

    [TestCase("edge:admin", true, false)]
    [TestCase("edge:admin:all-tenants", true, true)]
    [TestCase("edge:read edge:admin:all-tenants", true, true)]
    [TestCase("edge:admin:all", false, false)]
    public void The_all_tenants_scope_makes_an_admin_of_every_tenant(string scope, bool admin, bool allTenants)
    {
        var identity = _validator.Validate(TestJwt.Hs256(Keys.HmacSecret, TestKeys.HmacKid, TestJwt.ValidClaims(scope: scope))).Identity!;

        Assert.That((identity.IsAdmin, identity.IsAllTenantsAdmin), Is.EqualTo((admin, allTenants)));
        Assert.That(identity.MayAdminister("acme"), Is.EqualTo(admin), "its own tenant");
        Assert.That(identity.MayAdminister("beta"), Is.EqualTo(allTenants), "another tenant");
    }
}
