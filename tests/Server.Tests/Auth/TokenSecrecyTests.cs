using System.Security.Cryptography;
using Edge.Server.Auth;

namespace Edge.Server.Tests.Auth;

/// <summary>Tokens and key material never appear in results, messages, logs or exceptions.</summary>
[TestFixture]
public sealed class TokenSecrecyTests : TestKeysFixture
{
    [Test]
    public void Refused_tokens_appear_in_no_result_message_or_log_entry()
    {
        var logger = new CapturingLogger<JwtValidator>();
        using var validator = new JwtValidator(Keys.Options(), logger);
        using var stranger = RSA.Create(2048);
        var now = DateTimeOffset.UtcNow;
        var refused = new[]
        {
            TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.Claims(now.AddHours(-1).ToUnixTimeSeconds())),
            TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.Claims(now.AddHours(2).ToUnixTimeSeconds(), notBeforeUnix: now.AddHours(1).ToUnixTimeSeconds())),
            TestJwt.Rs256(stranger, TestKeys.RsaKid, TestJwt.ValidClaims()),
            TestJwt.Rs256(Keys.Rsa, "who", TestJwt.ValidClaims()),
            TestJwt.Es256(Keys.Ec, TestKeys.EcKid, TestJwt.Claims(now.AddHours(1).ToUnixTimeSeconds(), issuer: "https://evil.test")),
            TestJwt.Es256(Keys.Ec, TestKeys.EcKid, TestJwt.Claims(now.AddHours(1).ToUnixTimeSeconds(), audience: "elsewhere")),
            TestJwt.Hs256(Keys.HmacSecret, TestKeys.HmacKid, TestJwt.Claims(now.AddHours(1).ToUnixTimeSeconds(), tenant: null)),
            TestJwt.Hs256(Keys.HmacSecret, TestKeys.HmacKid, TestJwt.Claims(null)),
            TestJwt.Unsigned("none", TestJwt.ValidClaims()),
            "eyJhbGciOiJIUzI1NiJ9.bm90LWpzb24.c2lnbmF0dXJlLXNlY3JldC12YWx1ZQ",
        };

        var seen = new HashSet<AuthFailureReason>();
        foreach (var token in refused)
        {
            var result = validator.Validate(token);
            Assert.That(result.Succeeded, Is.False);
            seen.Add(result.Failure);
            AssertTokenAbsent(token, result.Message, result.Code, result.ToString());

            var extraction = BearerTokenExtractor.Extract("Bearer " + token, "/", "");
            AssertTokenAbsent(token, extraction.ToString());
        }

        Assert.That(seen, Has.Count.GreaterThanOrEqualTo(9), "the refused tokens should cover most failure reasons");
        Assert.That(logger.Entries, Is.Not.Empty, "refusals are logged at Debug");
        foreach (var token in refused)
        {
            foreach (var entry in logger.Entries)
            {
                AssertTokenAbsent(token, entry);
            }
        }
    }

    [Test]
    public void Refresh_mismatch_message_does_not_contain_either_token()
    {
        var logger = new CapturingLogger<JwtValidator>();
        using var validator = new JwtValidator(Keys.Options(), logger);
        var first = TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.ValidClaims());
        var second = TestJwt.Rs256(Keys.Rsa, TestKeys.RsaKid, TestJwt.Claims(DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(), subject: "mallory"));

        var result = validator.ValidateRefresh(validator.Validate(first).Identity!, second);

        Assert.That(result.Failure, Is.EqualTo(AuthFailureReason.TokenMismatch));
        foreach (var text in logger.Entries.Append(result.Message).Append(result.ToString()))
        {
            AssertTokenAbsent(first, text);
            AssertTokenAbsent(second, text);
        }
    }

    [Test]
    public void Configuration_errors_do_not_quote_secrets_or_pem()
    {
        var shortSecret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var privatePem = Keys.Rsa.ExportPkcs8PrivateKeyPem();
        var options = Keys.Options();
        options.Keys =
        [
            new AuthKeyOptions { Algorithm = "HS256", Secret = shortSecret },
            new AuthKeyOptions { Algorithm = "RS256", Pem = privatePem },
            new AuthKeyOptions { Algorithm = "ES256", Pem = Keys.Rsa.ExportSubjectPublicKeyInfoPem() },
        ];

        var exception = Assert.Throws<AuthConfigurationException>(() => new JwtValidator(options).Dispose())!;

        Assert.That(exception.Errors, Has.Count.EqualTo(3));
        Assert.That(exception.Message, Does.Not.Contain(shortSecret));
        Assert.That(exception.Message, Does.Not.Contain("MII"), "no base64 key material");
    }

    private static void AssertTokenAbsent(string token, params string[] texts)
    {
        var parts = token.Split('.');
        foreach (var text in texts)
        {
            Assert.That(text, Does.Not.Contain(token));
            foreach (var part in parts)
            {
                if (part.Length >= 8)
                {
                    Assert.That(text, Does.Not.Contain(part), "no segment of the token either");
                }
            }
        }
    }
}
