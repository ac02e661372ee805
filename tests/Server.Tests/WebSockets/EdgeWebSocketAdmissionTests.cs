using System.Net;
using DotNetty.Transport.Channels;
using Edge.Protocol.Client;
using Edge.Server.Admission;
using Edge.Server.Auth;
using Edge.Server.Http;
using Edge.Server.WebSockets;

namespace Edge.Server.Tests.WebSockets;

public sealed class EdgeWebSocketAdmissionTests
{
    private AuthOptions _options = null!;
    private DevTokenIssuer _issuer = null!;
    private JwtValidator _validator = null!;

    [SetUp]
    public void CreateValidator()
    {
        _options = new AuthOptions { Issuer = "edge-test", Audience = "edge" };
        _issuer = new DevTokenIssuer(_options);
        _options.Keys.Add(_issuer.SigningKey);
        _validator = new JwtValidator(_options);
    }

    [TearDown]
    public void DisposeValidator() => _validator.Dispose();

    [Test]
    public void A_valid_token_is_admitted_with_identity_encoding_and_address()
    {
        var admission = Admission([]);

        var decision = admission.Admit(Request($"/market-data?token={_issuer.Issue("trader-7", "tenant-x", TimeSpan.FromMinutes(5))}", subprotocol: ClientSubprotocol.Json));

        Assert.That(decision.Accepted, Is.True);
        var connection = (ClientConnection)decision.State!;
        Assert.Multiple(() =>
        {
            Assert.That(connection.Identity.Subject, Is.EqualTo("trader-7"));
            Assert.That(connection.Identity.Tenant, Is.EqualTo("tenant-x"));
            Assert.That(connection.Encoding, Is.EqualTo(ClientEncoding.Json));
            Assert.That(connection.Subprotocol, Is.EqualTo(ClientSubprotocol.Json));
            Assert.That(connection.TokenSource, Is.EqualTo(TokenSource.QueryParameter));
            Assert.That(connection.RemoteAddress, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 5555)));
        });
    }

    [Test]
    public void No_subprotocol_means_MessagePack()
    {
        var decision = Admission([]).Admit(Request("/market-data", [new("Authorization", "Bearer " + Token())]));

        Assert.That(((ClientConnection)decision.State!).Encoding, Is.EqualTo(ClientEncoding.MessagePack));
    }

    [Test]
    public void A_missing_token_is_401_with_a_plain_bearer_challenge()
    {
        var refusal = Admission([]).Admit(Request("/market-data")).Refusal!;

        Assert.That(refusal.Status, Is.EqualTo(401));
        Assert.That(refusal.Code, Is.EqualTo("TOKEN_MISSING"));
        Assert.That(refusal.Headers, Is.EqualTo(new[] { new KeyValuePair<string, string>("WWW-Authenticate", "Bearer") }));
    }

    [Test]
    public void An_expired_token_is_401_invalid_token_and_the_body_never_holds_the_token()
    {
        var clock = new Edge.Server.Tests.Auth.ManualTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));
        var token = new DevTokenIssuer(_options, _issuer.SecretBase64, timeProvider: clock).Issue("u", "t", TimeSpan.FromMinutes(1));

        var refusal = Admission([]).Admit(Request("/market-data", [new("Authorization", "Bearer " + token)])).Refusal!;

        Assert.That(refusal.Status, Is.EqualTo(401));
        Assert.That(refusal.Code, Is.EqualTo("TOKEN_EXPIRED"));
        Assert.That(refusal.Headers[0].Value, Does.Contain("invalid_token"));
        Assert.That(System.Text.Encoding.UTF8.GetString(refusal.Body()), Does.Not.Contain(token));
    }

    [Test]
    public void Origins_are_checked_only_when_listed_and_only_for_browsers()
    {
        var open = Admission([]);
        var listed = Admission(["https://app.example.com"]);
        var origin = new KeyValuePair<string, string>("Origin", "https://evil.example.com");
        var auth = new KeyValuePair<string, string>("Authorization", "Bearer " + Token());

        Assert.That(open.Admit(Request("/market-data", [auth, origin])).Accepted, Is.True, "empty list: any origin");
        Assert.That(listed.Admit(Request("/market-data", [auth])).Accepted, Is.True, "no Origin: not a browser");
        Assert.That(listed.Admit(Request("/market-data", [auth, new("Origin", "HTTPS://App.Example.com")])).Accepted, Is.True);
        var refused = listed.Admit(Request("/market-data", [auth, origin])).Refusal!;
        Assert.That(refused.Status, Is.EqualTo(403));
        Assert.That(refused.Code, Is.EqualTo("ORIGIN_NOT_ALLOWED"));
    }

    [Test]
    public void Additional_checks_run_in_order_after_authentication_and_their_leases_travel_with_the_connection()
    {
        var first = new QuotaCheck(refuse: false);
        var second = new QuotaCheck(refuse: false);
        var admission = Admission([], [first, second]);

        var decision = admission.Admit(Request("/market-data", [new("Authorization", "Bearer " + Token())]));

        Assert.That(decision.Accepted, Is.True);
        Assert.That(first.SeenTenant, Is.EqualTo("tenant-a"));
        Assert.That(first.Released + second.Released, Is.Zero);
        decision.Lease!.Dispose();
        Assert.That(first.Released, Is.EqualTo(1));
        Assert.That(second.Released, Is.EqualTo(1));
        decision.Lease.Dispose();
        Assert.That(first.Released, Is.EqualTo(1), "released once");
    }

    [Test]
    public void A_refusing_check_answers_and_releases_what_earlier_checks_took()
    {
        var first = new QuotaCheck(refuse: false);
        var second = new QuotaCheck(refuse: true);
        var third = new QuotaCheck(refuse: false);

        var decision = Admission([], [first, second, third]).Admit(Request("/market-data", [new("Authorization", "Bearer " + Token())]));

        Assert.That(decision.Refusal!.Status, Is.EqualTo(429));
        Assert.That(first.Released, Is.EqualTo(1));
        Assert.That(third.SeenTenant, Is.Null, "later checks do not run");
    }

    [Test]
    public void Checks_do_not_run_for_an_unauthenticated_request()
    {
        var check = new QuotaCheck(refuse: false);

        Admission([], [check]).Admit(Request("/market-data"));

        Assert.That(check.SeenTenant, Is.Null);
    }

    private EdgeWebSocketAdmission Admission(string[] origins, IWebSocketAdmissionCheck[]? checks = null) =>
        new(_validator, origins, connection => WebSocketAdmissionDecision.Accept(new ChannelHandlerAdapter(), connection), checks);

    private string Token() => _issuer.Issue("trader-1", "tenant-a", TimeSpan.FromMinutes(5));

    private static WebSocketAdmissionRequest Request(string target, KeyValuePair<string, string>[]? headers = null, string? subprotocol = null) =>
        new(new HttpRequestHead("GET", target, "HTTP/1.1", headers ?? [], []), new IPEndPoint(IPAddress.Loopback, 5555), "market-data", subprotocol);

    private sealed class QuotaCheck : IWebSocketAdmissionCheck, IDisposable
    {
        private readonly bool _refuse;

        public QuotaCheck(bool refuse)
        {
            _refuse = refuse;
        }

        public string? SeenTenant { get; private set; }

        public int Released { get; private set; }

        public WebSocketRefusal? Check(WebSocketAdmissionRequest request, ClientIdentity identity, out IDisposable? lease)
        {
            SeenTenant = identity.Tenant;
            lease = _refuse ? null : this;
            return _refuse ? new WebSocketRefusal(429, "TOO_MANY_CONNECTIONS", "tenant limit reached") : null;
        }

        public void Dispose() => Released++;
    }
}
