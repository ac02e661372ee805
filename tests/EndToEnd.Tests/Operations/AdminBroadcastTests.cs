using System.Text.Json;
using Edge.EndToEnd.Tests.Support;
using Edge.Protocol.Client;
using Edge.Server.Tenants;

namespace Edge.EndToEnd.Tests.Operations;

/// <summary>POST /admin/broadcast end to end: real Edge, real tokens, real WebSocket clients of two tenants.</summary>
public sealed class AdminBroadcastTests
{
    [Test]
    public async Task A_broadcast_reaches_every_client_of_its_tenant_in_its_encoding_and_no_other_tenant()
    {
        await using var edge = await RunningEdge.StartAsync();
        var admin = edge.Tokens.Issue("operator", "ops", TimeSpan.FromMinutes(5), allTenants: true);
        using var acmeBinary = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("a1", "acme", TimeSpan.FromMinutes(5)), ClientEncoding.MessagePack);
        using var acmeText = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("a2", "acme", TimeSpan.FromMinutes(5)), ClientEncoding.Json);
        using var globex = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("g1", "globex", TimeSpan.FromMinutes(5)), ClientEncoding.MessagePack);
        foreach (var client in new[] { acmeBinary, acmeText, globex })
        {
            await client.ReceiveAsync(ServerMessageType.Connected);
        }

        var before = DateTimeOffset.UtcNow;
        var toAcme = await AdminHttp.BroadcastAsync(edge.EndPoint, AdminHttp.Body("acme", "maintenance at 22:00 UTC; you will be reconnected"), admin);
        var binaryNotice = await acmeBinary.ReceiveAsync(ServerMessageType.Notice);
        var textNotice = await acmeText.ReceiveAsync(ServerMessageType.Notice);
        // Acme's notices were queued before the 202 came back, so had globex been sent one it would arrive first.
        var toGlobex = await AdminHttp.BroadcastAsync(edge.EndPoint, AdminHttp.Body("globex", "for globex only"), admin);
        var globexNotice = await globex.ReceiveAsync(ServerMessageType.Notice);

        Assert.That(toAcme.Status, Is.EqualTo(202));
        Assert.That(Delivered(toAcme), Is.EqualTo(2));
        Assert.That(binaryNotice.Message, Is.EqualTo("maintenance at 22:00 UTC; you will be reconnected"));
        Assert.That(textNotice.Message, Is.EqualTo("maintenance at 22:00 UTC; you will be reconnected"));
        Assert.That(binaryNotice.Time, Is.GreaterThanOrEqualTo((before.AddSeconds(-5) - DateTimeOffset.UnixEpoch).Ticks * 100), "time is ns since the epoch");
        Assert.That(binaryNotice.Time, Is.LessThanOrEqualTo((DateTimeOffset.UtcNow.AddSeconds(5) - DateTimeOffset.UnixEpoch).Ticks * 100));
        Assert.That(Delivered(toGlobex), Is.EqualTo(1));
        Assert.That(globexNotice.Message, Is.EqualTo("for globex only"), "globex never got acme's notice");
    }

    [Test]
    public async Task The_endpoint_refuses_missing_invalid_and_non_admin_tokens_and_other_methods()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Tenancy.Tenants["acme"] = new TenantOptions());
        var body = AdminHttp.Body("acme", "hello");
        var forged = new Edge.Server.Auth.DevTokenIssuer(edge.Host.Options.Auth).Issue("operator", "ops", TimeSpan.FromMinutes(5), isAdmin: true);

        var noToken = await AdminHttp.BroadcastAsync(edge.EndPoint, body, token: null);
        var badToken = await AdminHttp.BroadcastAsync(edge.EndPoint, body, forged);
        var notAdmin = await AdminHttp.BroadcastAsync(edge.EndPoint, body, edge.Tokens.Issue("trader", "acme", TimeSpan.FromMinutes(5)));
        var get = await AdminHttp.BroadcastAsync(edge.EndPoint, body, edge.Tokens.Issue("operator", "ops", TimeSpan.FromMinutes(5), isAdmin: true), method: "GET");

        Assert.That((noToken.Status, noToken.Headers["WWW-Authenticate"]), Is.EqualTo((401, "Bearer")));
        Assert.That(badToken.Status, Is.EqualTo(401));
        Assert.That(badToken.Headers["WWW-Authenticate"], Does.StartWith("Bearer error="));
        Assert.That(notAdmin.Status, Is.EqualTo(403));
        Assert.That(Error(notAdmin), Is.EqualTo("forbidden"));
        Assert.That((get.Status, get.Headers["Allow"]), Is.EqualTo((405, "POST")));
    }

    [Test]
    public async Task A_tenant_admin_reaches_its_own_tenant_only_and_the_all_tenants_scope_reaches_every_tenant()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var acme = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("a1", "acme", TimeSpan.FromMinutes(5)), ClientEncoding.Json);
        using var beta = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("b1", "beta", TimeSpan.FromMinutes(5)), ClientEncoding.Json);
        await acme.ReceiveAsync(ServerMessageType.Connected);
        await beta.ReceiveAsync(ServerMessageType.Connected);
        var betaAdmin = edge.Tokens.Issue("beta-operator", "beta", TimeSpan.FromMinutes(5), isAdmin: true);
        var allTenantsAdmin = edge.Tokens.Issue("operator", "ops", TimeSpan.FromMinutes(5), allTenants: true);

        var intoAcme = await AdminHttp.BroadcastAsync(edge.EndPoint, AdminHttp.Body("acme", "from beta's operator"), betaAdmin);
        var intoNowhere = await AdminHttp.BroadcastAsync(edge.EndPoint, AdminHttp.Body("nobody", "probe"), betaAdmin);
        var ownTenant = await AdminHttp.BroadcastAsync(edge.EndPoint, AdminHttp.Body("beta", "for beta"), betaAdmin);
        var betaNotice = await beta.ReceiveAsync(ServerMessageType.Notice);
        var everywhere = await AdminHttp.BroadcastAsync(edge.EndPoint, AdminHttp.Body("acme", "from the all-tenants operator"), allTenantsAdmin);
        // Had beta's operator reached acme, that notice would have been queued first and arrive first.
        var acmeNotice = await acme.ReceiveAsync(ServerMessageType.Notice);

        Assert.That(intoAcme.Status, Is.EqualTo(403), "a beta admin token must not reach acme");
        Assert.That(Error(intoAcme), Is.EqualTo("forbidden"));
        Assert.That(intoNowhere.Status, Is.EqualTo(403), "a tenant admin cannot probe which tenants exist");
        Assert.That((ownTenant.Status, Delivered(ownTenant)), Is.EqualTo((202, 1)));
        Assert.That(betaNotice.Message, Is.EqualTo("for beta"));
        Assert.That((everywhere.Status, Delivered(everywhere)), Is.EqualTo((202, 1)));
        Assert.That(acmeNotice.Message, Is.EqualTo("from the all-tenants operator"));
    }

    [TestCase("{\"tenant\":\"acme\",", TestName = "Truncated JSON is 400")]
    [TestCase("[\"acme\",\"hello\"]", TestName = "A JSON array is 400")]
    [TestCase("{\"tenant\":\"acme\"}", TestName = "A missing message is 400")]
    [TestCase("{\"message\":\"hello\"}", TestName = "A missing tenant is 400")]
    [TestCase("{\"tenant\":\"acme\",\"message\":\"\"}", TestName = "An empty message is 400")]
    [TestCase("{\"tenant\":\"acme\",\"message\":5}", TestName = "A message that is not a string is 400")]
    [TestCase("{\"tenant\":\"acme\",\"message\":\"a\",\"message\":\"b\"}", TestName = "A message given twice is 400")]
    [TestCase("", TestName = "An empty body is 400")]
    public async Task A_bad_body_is_400(string body)
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Tenancy.Tenants["acme"] = new TenantOptions());

        var answer = await AdminHttp.BroadcastAsync(edge.EndPoint, body, edge.Tokens.Issue("operator", "ops", TimeSpan.FromMinutes(5), isAdmin: true));

        Assert.That(answer.Status, Is.EqualTo(400));
        Assert.That(Error(answer), Is.EqualTo("bad_request"));
    }

    [Test]
    public async Task Messages_are_limited_to_1_KiB_of_UTF8_and_an_unknown_tenant_is_404()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Tenancy.Tenants["acme"] = new TenantOptions());
        var admin = edge.Tokens.Issue("operator", "ops", TimeSpan.FromMinutes(5), allTenants: true);

        // "é" is two bytes of UTF-8: 512 of them are exactly 1024 bytes, 513 are over.
        var atLimit = await AdminHttp.BroadcastAsync(edge.EndPoint, AdminHttp.Body("acme", new string('é', 512)), admin);
        var overLimit = await AdminHttp.BroadcastAsync(edge.EndPoint, AdminHttp.Body("acme", new string('é', 513)), admin);
        var unknown = await AdminHttp.BroadcastAsync(edge.EndPoint, AdminHttp.Body("nobody", "hello"), admin);

        Assert.That(atLimit.Status, Is.EqualTo(202));
        Assert.That(Delivered(atLimit), Is.Zero, "a configured tenant with no session");
        Assert.That(overLimit.Status, Is.EqualTo(400));
        Assert.That(unknown.Status, Is.EqualTo(404));
        Assert.That(Error(unknown), Is.EqualTo("unknown_tenant"));
    }

    private static int Delivered(RawHttpResponse response)
    {
        using var json = JsonDocument.Parse(response.Body);
        return json.RootElement.GetProperty("delivered").GetInt32();
    }

    private static string? Error(RawHttpResponse response)
    {
        using var json = JsonDocument.Parse(response.Body);
        return json.RootElement.GetProperty("error").GetString();
    }
}
