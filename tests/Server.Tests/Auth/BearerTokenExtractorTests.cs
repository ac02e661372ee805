using Edge.Server.Auth;

namespace Edge.Server.Tests.Auth;

[TestFixture]
public sealed class BearerTokenExtractorTests
{
    private const string Jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.c2ln-_sig";

    [TestCase("Bearer " + Jwt)]
    [TestCase("bearer " + Jwt)]
    [TestCase("BEARER " + Jwt)]
    [TestCase("  Bearer   " + Jwt + "  ")]
    [TestCase("Bearer\t" + Jwt)]
    public void Authorization_header_bearer_token_is_extracted(string header)
    {
        var result = BearerTokenExtractor.FromAuthorizationHeader(header);

        Assert.That(result.Token, Is.EqualTo(Jwt));
        Assert.That(result.Source, Is.EqualTo(TokenSource.AuthorizationHeader));
        Assert.That(result.Failure, Is.EqualTo(AuthFailureReason.None));
    }

    [TestCase("", AuthFailureReason.Missing)]
    [TestCase("   ", AuthFailureReason.Missing)]
    [TestCase("Basic dXNlcjpwYXNz", AuthFailureReason.Missing)]
    [TestCase("Bearerx " + Jwt, AuthFailureReason.Missing)]
    [TestCase("Bearer", AuthFailureReason.Malformed)]
    [TestCase("Bearer    ", AuthFailureReason.Malformed)]
    [TestCase("Bearer " + Jwt + " extra", AuthFailureReason.Malformed)]
    [TestCase("Bearer abc+def/ghi=", AuthFailureReason.Malformed)]
    [TestCase("Bearer " + Jwt + ", Bearer " + Jwt, AuthFailureReason.MultipleTokens)]
    [TestCase("Bearer \"" + Jwt + "\"", AuthFailureReason.Malformed)]
    [TestCase("Bearer é.é.é", AuthFailureReason.Malformed)]
    [TestCase("Bearer a\r\nX-Injected: 1", AuthFailureReason.Malformed)]
    public void Authorization_header_without_a_usable_bearer_token_is_refused(string header, AuthFailureReason expected)
    {
        var result = BearerTokenExtractor.FromAuthorizationHeader(header);

        Assert.That(result.Token, Is.Null);
        Assert.That(result.Failure, Is.EqualTo(expected));
    }

    [TestCase("/prices?token=" + Jwt)]
    [TestCase("/prices?a=1&token=" + Jwt + "&b=2")]
    [TestCase("/prices?token=" + Jwt + "#fragment")]
    [TestCase("http://edge.example:8080/prices?x=%41&token=" + Jwt)]
    [TestCase("/prices?%74oken=" + Jwt)]
    [TestCase("/prices?tokens=x&mytoken=y&token=" + Jwt)]
    public void Query_token_is_extracted(string target)
    {
        var result = BearerTokenExtractor.FromRequestTarget(target);

        Assert.That(result.Token, Is.EqualTo(Jwt));
        Assert.That(result.Source, Is.EqualTo(TokenSource.QueryParameter));
    }

    [Test]
    public void Percent_encoded_query_token_is_decoded()
    {
        var encoded = string.Concat(Jwt.Select(c => $"%{(int)c:X2}"));

        Assert.That(BearerTokenExtractor.FromRequestTarget("/ws?token=" + encoded).Token, Is.EqualTo(Jwt));
        Assert.That(BearerTokenExtractor.FromRequestTarget("/ws?token=" + encoded.ToLowerInvariant()).Token, Is.EqualTo(Jwt));
        Assert.That(BearerTokenExtractor.FromRequestTarget("/ws?token=eyJ%2Eabc.def").Token, Is.EqualTo("eyJ.abc.def"));
    }

    [TestCase("/prices", AuthFailureReason.Missing)]
    [TestCase("/prices?", AuthFailureReason.Missing)]
    [TestCase("/prices?access_token=" + Jwt, AuthFailureReason.Missing)]
    [TestCase("/prices#?token=" + Jwt, AuthFailureReason.Missing)]
    [TestCase("/prices?token=", AuthFailureReason.Malformed)]
    [TestCase("/prices?token", AuthFailureReason.Malformed)]
    [TestCase("/prices?token=a+b.c.d", AuthFailureReason.Malformed)]
    [TestCase("/prices?token=a%20b.c.d", AuthFailureReason.Malformed)]
    [TestCase("/prices?token=abc%", AuthFailureReason.Malformed)]
    [TestCase("/prices?token=abc%4", AuthFailureReason.Malformed)]
    [TestCase("/prices?token=abc%zz", AuthFailureReason.Malformed)]
    [TestCase("/prices?token=%C3%A9.a.b", AuthFailureReason.Malformed)]
    [TestCase("/prices?token=%00.a.b", AuthFailureReason.Malformed)]
    [TestCase("/prices?token=%252E", AuthFailureReason.Malformed)]
    [TestCase("/prices?token=a.b.c&token=a.b.c", AuthFailureReason.MultipleTokens)]
    [TestCase("/prices?token=a.b.c&token=d.e.f", AuthFailureReason.MultipleTokens)]
    [TestCase("/prices?token=a.b.c&%74%6F%6B%65%6E=d.e.f", AuthFailureReason.MultipleTokens)]
    [TestCase("/prices?token=&token=a.b.c", AuthFailureReason.MultipleTokens)]
    public void Query_without_exactly_one_good_token_is_refused(string target, AuthFailureReason expected)
    {
        var result = BearerTokenExtractor.FromRequestTarget(target);

        Assert.That(result.Token, Is.Null);
        Assert.That(result.Failure, Is.EqualTo(expected));
    }

    [Test]
    public void Huge_tokens_are_refused_as_too_large_in_every_source()
    {
        var huge = new string('a', 1_000_000);
        var hugeEncoded = string.Concat(Enumerable.Repeat("%61", 100_000));

        Assert.That(BearerTokenExtractor.FromAuthorizationHeader("Bearer " + huge).Failure, Is.EqualTo(AuthFailureReason.TooLarge));
        Assert.That(BearerTokenExtractor.FromRequestTarget("/ws?token=" + huge).Failure, Is.EqualTo(AuthFailureReason.TooLarge));
        Assert.That(BearerTokenExtractor.FromRequestTarget("/ws?token=" + hugeEncoded).Failure, Is.EqualTo(AuthFailureReason.TooLarge));
        Assert.That(BearerTokenExtractor.FromSubprotocolHeader("edge.v1, bearer." + huge).Failure, Is.EqualTo(AuthFailureReason.TooLarge));
    }

    [Test]
    public void Limit_is_inclusive_and_configurable()
    {
        var exact = new string('a', 300);

        Assert.That(BearerTokenExtractor.FromAuthorizationHeader("Bearer " + exact, maxLength: 300).Token, Is.EqualTo(exact));
        Assert.That(BearerTokenExtractor.FromAuthorizationHeader("Bearer " + exact, maxLength: 299).Failure, Is.EqualTo(AuthFailureReason.TooLarge));
        var encoded = string.Concat(Enumerable.Repeat("%61", 300));
        Assert.That(BearerTokenExtractor.FromRequestTarget("/?token=" + encoded, maxLength: 300).Token, Is.EqualTo(exact));
        Assert.That(BearerTokenExtractor.FromRequestTarget("/?token=" + encoded, maxLength: 299).Failure, Is.EqualTo(AuthFailureReason.TooLarge));
    }

    [Test]
    public void Long_percent_encoded_token_above_the_stack_buffer_is_decoded()
    {
        var token = "eyJ" + new string('x', 3000) + ".p.s";
        var encoded = string.Concat(token.Select(c => $"%{(int)c:X2}"));

        Assert.That(BearerTokenExtractor.FromRequestTarget("/?token=" + encoded).Token, Is.EqualTo(token));
    }

    [TestCase("bearer." + Jwt)]
    [TestCase("edge.v1.msgpack, bearer." + Jwt)]
    [TestCase("bearer." + Jwt + ",edge.v1.json")]
    [TestCase(" edge.v1.json ,\tbearer." + Jwt + " , other")]
    public void Subprotocol_token_is_extracted(string header)
    {
        var result = BearerTokenExtractor.FromSubprotocolHeader(header);

        Assert.That(result.Token, Is.EqualTo(Jwt));
        Assert.That(result.Source, Is.EqualTo(TokenSource.Subprotocol));
    }

    [TestCase("", AuthFailureReason.Missing)]
    [TestCase("edge.v1.json", AuthFailureReason.Missing)]
    [TestCase("Bearer." + Jwt, AuthFailureReason.Missing)]
    [TestCase(",,,", AuthFailureReason.Missing)]
    [TestCase("edge.v1.json, bearer.", AuthFailureReason.Malformed)]
    [TestCase("bearer.a b", AuthFailureReason.Malformed)]
    [TestCase("bearer.a;b", AuthFailureReason.Malformed)]
    [TestCase("bearer.a.b.c, bearer.d.e.f", AuthFailureReason.MultipleTokens)]
    [TestCase("bearer.a.b.c, bearer.a.b.c", AuthFailureReason.MultipleTokens)]
    public void Subprotocol_without_exactly_one_good_token_is_refused(string header, AuthFailureReason expected)
    {
        Assert.That(BearerTokenExtractor.FromSubprotocolHeader(header).Failure, Is.EqualTo(expected));
    }

    [Test]
    public void Selected_subprotocol_is_never_the_token_entry()
    {
        var supported = new[] { "edge.v1.msgpack", "edge.v1.json" };

        Assert.That(BearerTokenExtractor.SelectSubprotocol("bearer." + Jwt + ", edge.v1.json", supported), Is.EqualTo("edge.v1.json"));
        Assert.That(BearerTokenExtractor.SelectSubprotocol("edge.v1.json, edge.v1.msgpack", supported), Is.EqualTo("edge.v1.json"), "client preference order");
        Assert.That(BearerTokenExtractor.SelectSubprotocol("bearer." + Jwt, supported), Is.Null);
        Assert.That(BearerTokenExtractor.SelectSubprotocol("bearer.x", ["bearer.x", "edge.v1.json"]), Is.Null, "even if misconfigured as supported");
        Assert.That(BearerTokenExtractor.SelectSubprotocol("", supported), Is.Null);
        Assert.That(BearerTokenExtractor.SelectSubprotocol("EDGE.V1.JSON", supported), Is.Null, "subprotocol names are case-sensitive");
    }

    [Test]
    public void Extract_takes_the_single_presented_token_from_any_source()
    {
        var header = BearerTokenExtractor.Extract("Bearer " + Jwt, "/prices", "edge.v1.json");
        var query = BearerTokenExtractor.Extract("", "/prices?token=" + Jwt, "edge.v1.json");
        var protocol = BearerTokenExtractor.Extract("", "/prices", "edge.v1.json, bearer." + Jwt);

        Assert.That((header.Token, header.Source), Is.EqualTo((Jwt, TokenSource.AuthorizationHeader)));
        Assert.That((query.Token, query.Source), Is.EqualTo((Jwt, TokenSource.QueryParameter)));
        Assert.That((protocol.Token, protocol.Source), Is.EqualTo((Jwt, TokenSource.Subprotocol)));
    }

    [Test]
    public void Extract_refuses_no_token_several_tokens_and_any_broken_source()
    {
        Assert.That(BearerTokenExtractor.Extract("", "/prices", "edge.v1.json").Failure, Is.EqualTo(AuthFailureReason.Missing));
        Assert.That(BearerTokenExtractor.Extract("Basic dTpw", "/prices", "").Failure, Is.EqualTo(AuthFailureReason.Missing));
        Assert.That(BearerTokenExtractor.Extract("Bearer " + Jwt, "/prices?token=" + Jwt, "").Failure, Is.EqualTo(AuthFailureReason.MultipleTokens));
        Assert.That(BearerTokenExtractor.Extract("", "/prices?token=" + Jwt, "bearer." + Jwt).Failure, Is.EqualTo(AuthFailureReason.MultipleTokens));
        Assert.That(BearerTokenExtractor.Extract("Bearer " + Jwt, "/prices?token=bad%zz", "").Failure, Is.EqualTo(AuthFailureReason.Malformed));
        Assert.That(BearerTokenExtractor.Extract("Bearer", "/prices?token=" + Jwt, "").Failure, Is.EqualTo(AuthFailureReason.Malformed));
    }

    [TestCase("a.b.c", true)]
    [TestCase("a.b.", true)]
    [TestCase("a.b", false)]
    [TestCase(".b.c", false)]
    [TestCase("a..c", false)]
    [TestCase("a.b.c.d", false)]
    [TestCase("a.b.c=", false)]
    [TestCase("", false)]
    public void Compact_jws_shape(string token, bool expected)
    {
        Assert.That(BearerTokenExtractor.IsCompactJws(token), Is.EqualTo(expected));
    }
}
