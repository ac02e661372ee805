using Edge.Server.Auth;
using Edge.Server.Configuration;

namespace Edge.Client.Tests;

public sealed class JwtExpiryTests
{
    [Test]
    public void Exp_is_read_from_a_real_token_without_validating_it()
    {
        var options = new EdgeOptions();
        options.Auth.Issuer = "edge-tests";
        options.Auth.Audience = "edge";
        var before = DateTimeOffset.UtcNow;
        var token = new DevTokenIssuer(options.Auth).Issue("trader-1", "acme", TimeSpan.FromMinutes(10));

        var exp = JwtExpiry.Read(token);

        Assert.That(exp, Is.Not.Null);
        Assert.That(exp!.Value, Is.InRange(before.AddMinutes(10).AddSeconds(-2), DateTimeOffset.UtcNow.AddMinutes(10).AddSeconds(2)));
    }

    [TestCase("not-a-jwt")]
    [TestCase("a.!!!.c")]
    [TestCase("a.e30.c")]
    public void A_token_without_a_readable_exp_gives_null(string token) => Assert.That(JwtExpiry.Read(token), Is.Null);
}
