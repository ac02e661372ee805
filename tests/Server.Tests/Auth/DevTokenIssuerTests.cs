using Edge.Server.Auth;

namespace Edge.Server.Tests.Auth;

[TestFixture]
public sealed class DevTokenIssuerTests
{
    [Test]
    public void Issued_token_is_accepted_by_a_validator_trusting_the_issuer_key()
    {
        var options = new AuthOptions { Issuer = "edge-demo", Audience = "edge" };
        var issuer = new DevTokenIssuer(options);
        options.Keys.Add(issuer.SigningKey);
        using var validator = new JwtValidator(options);

        var user = validator.Validate(issuer.Issue("trader-1", "tenant-a", TimeSpan.FromMinutes(5)));
        var admin = validator.Validate(issuer.Issue("ops", "tenant-a", TimeSpan.FromMinutes(5), isAdmin: true));

        Assert.That(user.Succeeded, Is.True, user.ToString());
        Assert.That(user.Identity!.Subject, Is.EqualTo("trader-1"));
        Assert.That(user.Identity.Tenant, Is.EqualTo("tenant-a"));
        Assert.That(user.Identity.IsAdmin, Is.False);
        Assert.That(user.Identity.KeyId, Is.EqualTo(DevTokenIssuer.DefaultKid));
        Assert.That(admin.Identity!.IsAdmin, Is.True);
    }

    [Test]
    public void Lifetime_comes_from_the_issuer_clock()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_900_000_000));
        var options = new AuthOptions { Issuer = "edge-demo", Audience = "edge" };
        var issuer = new DevTokenIssuer(options, timeProvider: clock);
        options.Keys.Add(issuer.SigningKey);
        using var validator = new JwtValidator(options, timeProvider: clock);
        var token = issuer.Issue("u", "t", TimeSpan.FromMinutes(10));

        var fresh = validator.Validate(token);
        clock.Now = clock.Now.AddMinutes(11);
        var stale = validator.Validate(token);

        Assert.That(fresh.Identity!.ExpiresAtUnixSeconds, Is.EqualTo(1_900_000_600));
        Assert.That(stale.Failure, Is.EqualTo(AuthFailureReason.Expired));
    }

    [Test]
    public void Configured_secret_is_used_so_tokens_survive_a_restart()
    {
        var options = new AuthOptions { Issuer = "edge-demo", Audience = "edge" };
        var secret = DevTokenIssuer.GenerateSecret();
        var before = new DevTokenIssuer(options, secret);
        var after = new DevTokenIssuer(options, secret);
        options.Keys.Add(after.SigningKey);
        using var validator = new JwtValidator(options);

        Assert.That(before.SecretBase64, Is.EqualTo(secret));
        Assert.That(validator.Validate(before.Issue("u", "t", TimeSpan.FromMinutes(1))).Succeeded, Is.True);
    }

    [Test]
    public void Generated_secrets_differ_and_other_issuers_tokens_are_refused()
    {
        var options = new AuthOptions { Issuer = "edge-demo", Audience = "edge" };
        var trusted = new DevTokenIssuer(options);
        var other = new DevTokenIssuer(options);
        options.Keys.Add(trusted.SigningKey);
        using var validator = new JwtValidator(options);

        Assert.That(other.SecretBase64, Is.Not.EqualTo(trusted.SecretBase64));
        Assert.That(validator.Validate(other.Issue("u", "t", TimeSpan.FromMinutes(1))).Failure, Is.EqualTo(AuthFailureReason.BadSignature));
    }

    [Test]
    public void Short_secret_and_bad_arguments_are_refused()
    {
        var options = new AuthOptions { Issuer = "edge-demo", Audience = "edge" };
        var issuer = new DevTokenIssuer(options);

        Assert.Throws<AuthConfigurationException>(() => _ = new DevTokenIssuer(options, Convert.ToBase64String(new byte[16])));
        Assert.Catch<ArgumentException>(() => _ = new DevTokenIssuer(new AuthOptions { Audience = "edge" }));
        Assert.Throws<ArgumentException>(() => issuer.Issue("", "t", TimeSpan.FromMinutes(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => issuer.Issue("u", "t", TimeSpan.Zero));
    }
}
