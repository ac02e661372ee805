using System.Buffers.Text;
using System.Text;
using Edge.Server.Auth;

namespace Edge.Server.Tests.Auth;

[TestFixture]
public sealed class TokenClaimsReaderTests
{
    private static readonly byte[] Tenant = Encoding.UTF8.GetBytes("tenant");
    private static readonly byte[] Scope = Encoding.UTF8.GetBytes("scope");

    [Test]
    public void String_claims_and_numeric_dates_are_read()
    {
        var ok = Read("""{"sub":"alice","tenant":"acme","scope":"a edge:admin","exp":1900000000,"nbf":1800000000.9,"x":{"y":[1,2]}}""", out var claims);

        Assert.That(ok, Is.True);
        Assert.That(claims.Subject, Is.EqualTo("alice"));
        Assert.That(claims.Tenant, Is.EqualTo("acme"));
        Assert.That(claims.IsAdmin, Is.True);
        Assert.That(claims.Expires, Is.EqualTo(1_900_000_000));
        Assert.That(claims.NotBefore, Is.EqualTo(1_800_000_000));
    }

    [TestCase("""{"sub":["alice"],"tenant":{"id":"acme"}}""")]
    [TestCase("""{"sub":42,"tenant":true}""")]
    [TestCase("""{"sub":null,"tenant":null}""")]
    public void Claims_of_another_json_type_are_not_taken_as_strings(string json)
    {
        Assert.That(Read(json, out var claims), Is.True);
        Assert.That(claims.Subject, Is.Null);
        Assert.That(claims.Tenant, Is.Null);
    }

    [Test]
    public void Escaped_names_and_values_are_decoded()
    {
        Assert.That(Read("""{"\u0073ub":"al\u0069ce","tenant":"acme"}""", out var claims), Is.True);
        Assert.That(claims.Subject, Is.EqualTo("alice"));
    }

    [TestCase("""{"sub":"a","sub":"b"}""")]
    [TestCase("""{"tenant":"a","tenant":"b"}""")]
    [TestCase("""{"exp":1,"exp":2}""")]
    [TestCase("""{"exp":"1"}""")]
    [TestCase("""[]""")]
    [TestCase("""{"sub":"a" """)]
    [TestCase("""{"sub":"a"}{}""")]
    public void Duplicate_read_claims_bad_dates_and_broken_json_fail(string json)
    {
        Assert.That(Read(json, out _), Is.False);
    }

    [Test]
    public void Payload_that_is_not_base64url_fails()
    {
        Assert.That(TokenClaimsReader.TryRead("e30*", Tenant, Scope, "edge:admin", "edge:admin:all-tenants", out _), Is.False);
    }

    [Test]
    public void Large_payload_beyond_the_stack_buffer_is_read()
    {
        var json = "{\"pad\":\"" + new string('p', 5000) + "\",\"sub\":\"alice\",\"tenant\":\"acme\",\"exp\":5}";

        Assert.That(Read(json, out var claims), Is.True);
        Assert.That((claims.Subject, claims.Tenant, claims.Expires), Is.EqualTo(("alice", "acme", (long?)5)));
    }

    private static bool Read(string json, out TokenClaims claims) =>
        TokenClaimsReader.TryRead(Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json)), Tenant, Scope, "edge:admin", "edge:admin:all-tenants", out claims);
}
