using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Edge.EndToEnd.Tests.Support;
using Edge.Protocol.Client;
using Edge.Server.Auth;
using Edge.Server.Configuration;

namespace Edge.EndToEnd.Tests.WebSockets;

/// <summary>The market-data handshake over real sockets, with real JWTs, against a real server.</summary>
public sealed class WebSocketHandshakeEndToEndTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private TestAuth _auth = null!;
    private MarketDataProbe _probe = null!;
    private RunningTransport _edge = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _auth = new TestAuth();
        _probe = new MarketDataProbe();
        var options = new EdgeOptions();
        options.WebSocket.AllowedOrigins = ["https://app.example.com"];
        _edge = await RunningTransport.StartAsync(options, _probe.Admission(_auth, options.WebSocket.AllowedOrigins));
    }

    [OneTimeTearDown]
    public async Task StopServer()
    {
        await _edge.DisposeAsync();
        _auth.Dispose();
    }

    [TestCase(ClientSubprotocol.MessagePack, ClientEncoding.MessagePack)]
    [TestCase(ClientSubprotocol.Json, ClientEncoding.Json)]
    [TestCase(null, ClientEncoding.MessagePack)]
    public async Task ClientWebSocket_connects_with_each_subprotocol_and_a_header_token(string? subprotocol, ClientEncoding encoding)
    {
        using var client = new ClientWebSocket();
        client.Options.SetRequestHeader("Authorization", "Bearer " + _auth.Token("user-" + subprotocol));
        if (subprotocol is not null)
        {
            client.Options.AddSubProtocol(subprotocol);
        }

        await ConnectAsync(client, "/market-data");

        Assert.That(client.SubProtocol, Is.EqualTo(subprotocol));
        Assert.That(await EchoAsync(client, "hello"), Is.EqualTo("hello"));
        var admitted = _probe.Admitted.Single(c => c.Identity.Subject == "user-" + subprotocol);
        Assert.Multiple(() =>
        {
            Assert.That(admitted.Identity.Tenant, Is.EqualTo("tenant-a"));
            Assert.That(admitted.Encoding, Is.EqualTo(encoding));
            Assert.That(admitted.TokenSource, Is.EqualTo(TokenSource.AuthorizationHeader));
            Assert.That(admitted.RemoteAddress, Is.InstanceOf<IPEndPoint>());
        });
        await CloseAsync(client);
    }

    [Test]
    public async Task ClientWebSocket_connects_with_the_token_in_the_query()
    {
        using var client = new ClientWebSocket();

        await ConnectAsync(client, "/market-data?token=" + _auth.Token("query-user"));

        Assert.That(await EchoAsync(client, "q"), Is.EqualTo("q"));
        Assert.That(_probe.Admitted.Single(c => c.Identity.Subject == "query-user").TokenSource, Is.EqualTo(TokenSource.QueryParameter));
        await CloseAsync(client);
    }

    [Test]
    public async Task ClientWebSocket_connects_with_the_token_in_a_subprotocol_entry_which_is_never_echoed()
    {
        using var client = new ClientWebSocket();
        client.Options.AddSubProtocol(ClientSubprotocol.Json);
        client.Options.AddSubProtocol(BearerTokenExtractor.SubprotocolPrefix + _auth.Token("subprotocol-user"));

        await ConnectAsync(client, "/market-data");

        Assert.That(client.SubProtocol, Is.EqualTo(ClientSubprotocol.Json));
        var admitted = _probe.Admitted.Single(c => c.Identity.Subject == "subprotocol-user");
        Assert.That(admitted.TokenSource, Is.EqualTo(TokenSource.Subprotocol));
        Assert.That(admitted.Encoding, Is.EqualTo(ClientEncoding.Json));
        await CloseAsync(client);
    }

    [Test]
    public async Task An_allowed_origin_connects()
    {
        using var raw = await RawWebSocket.OpenAsync(_edge.EndPoint, "/market-data?token=" + _auth.Token(), "Origin: https://APP.example.com\r\n");

        Assert.That(raw.Status, Is.EqualTo(101));
    }

    [Test]
    public async Task No_token_gets_401_with_a_bearer_challenge_and_no_upgrade()
    {
        using var raw = await RawWebSocket.OpenAsync(_edge.EndPoint, "/market-data");

        Assert.That(raw.Status, Is.EqualTo(401));
        Assert.That(raw.Headers["WWW-Authenticate"], Is.EqualTo("Bearer"));
        AssertError(raw.Body, "TOKEN_MISSING");
        Assert.That(raw.Headers.ContainsKey("Sec-WebSocket-Accept"), Is.False);
        Assert.That(await raw.WaitForEndAsync(), Is.True, "a refused upgrade closes the connection");
    }

    [Test]
    public async Task A_token_signed_with_an_unknown_key_gets_401_and_the_token_is_not_in_the_answer()
    {
        var token = _auth.ForeignToken();
        using var raw = await RawWebSocket.OpenAsync(_edge.EndPoint, "/market-data", $"Authorization: Bearer {token}\r\n");

        Assert.That(raw.Status, Is.EqualTo(401));
        Assert.That(raw.Headers["WWW-Authenticate"], Does.StartWith("Bearer error=\"invalid_token\""));
        AssertError(raw.Body, "TOKEN_BAD_SIGNATURE");
        Assert.That(raw.Body, Does.Not.Contain(token));
    }

    [Test]
    public async Task A_malformed_token_gets_401()
    {
        using var raw = await RawWebSocket.OpenAsync(_edge.EndPoint, "/market-data?token=not-a-jwt");

        Assert.That(raw.Status, Is.EqualTo(401));
        AssertError(raw.Body, "TOKEN_MALFORMED");
    }

    [Test]
    public void ClientWebSocket_without_a_token_fails_to_connect()
    {
        using var client = new ClientWebSocket();
        using var cts = new CancellationTokenSource(Bound);

        Assert.ThrowsAsync<WebSocketException>(() => client.ConnectAsync(Uri("/market-data"), cts.Token));
    }

    [Test]
    public async Task An_origin_outside_the_list_gets_403()
    {
        using var raw = await RawWebSocket.OpenAsync(_edge.EndPoint, "/market-data?token=" + _auth.Token(), "Origin: https://evil.example.com\r\n");

        Assert.That(raw.Status, Is.EqualTo(403));
        AssertError(raw.Body, "ORIGIN_NOT_ALLOWED");
    }

    [Test]
    public async Task A_wrong_version_gets_426_naming_version_13()
    {
        using var raw = await RawWebSocket.ConnectAsync(_edge.EndPoint);
        await raw.SendAsync(Encoding.ASCII.GetBytes(
            "GET /market-data HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Key: " + RawWebSocket.Key + "\r\n\r\n"));
        await raw.ReadResponseAsync();

        Assert.That(raw.Status, Is.EqualTo(426));
        Assert.That(raw.Headers["Sec-WebSocket-Version"], Is.EqualTo("13"));
        AssertError(raw.Body, "UNSUPPORTED_VERSION");
    }

    [Test]
    public async Task A_bad_key_gets_400()
    {
        using var raw = await RawWebSocket.ConnectAsync(_edge.EndPoint);
        await raw.SendAsync(Encoding.ASCII.GetBytes(
            "GET /market-data HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: c2hvcnQ=\r\n\r\n"));
        await raw.ReadResponseAsync();

        Assert.That(raw.Status, Is.EqualTo(400));
        AssertError(raw.Body, "BAD_HANDSHAKE");
    }

    [Test]
    public async Task Only_unsupported_subprotocols_get_400()
    {
        using var raw = await RawWebSocket.OpenAsync(_edge.EndPoint, "/market-data?token=" + _auth.Token(), "Sec-WebSocket-Protocol: edge.v2.cbor, chat\r\n");

        Assert.That(raw.Status, Is.EqualTo(400));
        AssertError(raw.Body, "UNSUPPORTED_SUBPROTOCOL");
    }

    [Test]
    public async Task A_wrong_path_gets_404()
    {
        using var raw = await RawWebSocket.OpenAsync(_edge.EndPoint, "/prices?token=" + _auth.Token());

        Assert.That(raw.Status, Is.EqualTo(404));
        Assert.That(await raw.WaitForEndAsync(), Is.True);
    }

    [Test]
    public async Task A_plain_GET_on_the_market_data_path_gets_426()
    {
        var response = await RawHttp.GetAsync(_edge.EndPoint, "/market-data");

        Assert.That(response.Status, Is.EqualTo(426));
        Assert.That(response.Headers["Upgrade"], Is.EqualTo("websocket"));
    }

    [Test]
    public async Task Refusals_and_acceptances_are_counted_in_the_metrics()
    {
        using (await RawWebSocket.OpenAsync(_edge.EndPoint, "/market-data"))
        {
        }

        using (var accepted = await RawWebSocket.OpenAsync(_edge.EndPoint, "/market-data?token=" + _auth.Token()))
        {
            Assert.That(accepted.Status, Is.EqualTo(101));
        }

        var metrics = (await RawHttp.GetAsync(_edge.EndPoint, "/metrics")).Body;

        Assert.That(metrics, Does.Match("edge_ws_handshakes_refused_total\\{status=\"401\",reason=\"TOKEN_MISSING\"\\} [1-9]"));
        Assert.That(metrics, Does.Match("edge_ws_handshakes_accepted_total\\{endpoint=\"market-data\"\\} [1-9]"));
    }

    [Test]
    public async Task An_eager_first_frame_sent_with_the_handshake_is_answered()
    {
        using var raw = await RawWebSocket.OpenAsync(_edge.EndPoint, "/market-data?token=" + _auth.Token(), eager: WireFrame.Text("eager"));

        Assert.That(raw.Status, Is.EqualTo(101));
        Assert.That(raw.Headers["Sec-WebSocket-Accept"], Is.EqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        var echo = await raw.ReadFrameAsync();
        Assert.That(echo!.PayloadText, Is.EqualTo("eager"));
    }

    internal static async Task<string> EchoAsync(ClientWebSocket client, string text)
    {
        using var cts = new CancellationTokenSource(Bound);
        await client.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cts.Token);
        var buffer = new byte[64 * 1024];
        var result = await client.ReceiveAsync(buffer, cts.Token);
        Assert.That(result.EndOfMessage, Is.True);
        return Encoding.UTF8.GetString(buffer, 0, result.Count);
    }

    private static void AssertError(string body, string code)
    {
        using var json = JsonDocument.Parse(body);
        Assert.That(json.RootElement.GetProperty("error").GetString(), Is.EqualTo(code));
        Assert.That(json.RootElement.GetProperty("message").GetString(), Is.Not.Empty);
    }

    private async Task ConnectAsync(ClientWebSocket client, string target)
    {
        using var cts = new CancellationTokenSource(Bound);
        await client.ConnectAsync(Uri(target), cts.Token);
    }

    private static async Task CloseAsync(ClientWebSocket client)
    {
        using var cts = new CancellationTokenSource(Bound);
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
        Assert.That(client.CloseStatus, Is.EqualTo(WebSocketCloseStatus.NormalClosure));
    }

    private Uri Uri(string target) => new($"ws://127.0.0.1:{_edge.EndPoint.Port}{target}");
}
