using System.Text;
using System.Text.Json;
using Edge.Protocol.Client;
using Edge.Server.Admission;
using Edge.Server.Http;
using Edge.Server.WebSockets;

namespace Edge.Server.Tests.WebSockets;

public sealed class WebSocketHandshakeTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    [Test]
    public void Accept_key_matches_the_RFC_6455_example()
    {
        Assert.That(WebSocketHandshake.ComputeAcceptKey(Key), Is.EqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    }

    [Test]
    public void A_proper_upgrade_request_passes_and_yields_its_key()
    {
        var refusal = WebSocketHandshake.Validate(Request(), out var key);

        Assert.That(refusal, Is.Null);
        Assert.That(key, Is.EqualTo(Key));
    }

    [Test]
    public void Header_names_and_tokens_are_case_insensitive()
    {
        var request = Request(headers: [new("upgrade", "WebSocket"), new("connection", "keep-alive, UPGRADE"), new("sec-websocket-version", "13"), new("sec-websocket-key", Key)]);

        Assert.That(WebSocketHandshake.Validate(request, out _), Is.Null);
    }

    [Test]
    public void A_method_other_than_GET_gets_405_with_Allow()
    {
        var refusal = WebSocketHandshake.Validate(Request(method: "POST"), out _);

        Assert.That(refusal!.Status, Is.EqualTo(405));
        Assert.That(refusal.Headers, Does.Contain(new KeyValuePair<string, string>("Allow", "GET")));
    }

    [Test]
    public void A_plain_GET_without_upgrade_gets_426_naming_websocket()
    {
        var refusal = WebSocketHandshake.Validate(Request(headers: [new("Host", "a")]), out _);

        Assert.That(refusal!.Status, Is.EqualTo(426));
        Assert.That(refusal.Headers, Does.Contain(new KeyValuePair<string, string>("Upgrade", "websocket")));
    }

    [Test]
    public void Http_1_0_gets_400()
    {
        Assert.That(WebSocketHandshake.Validate(Request(version: "HTTP/1.0"), out _)!.Status, Is.EqualTo(400));
    }

    [Test]
    public void Connection_without_upgrade_gets_400()
    {
        var request = Request(headers: [new("Upgrade", "websocket"), new("Connection", "keep-alive"), new("Sec-WebSocket-Version", "13"), new("Sec-WebSocket-Key", Key)]);

        Assert.That(WebSocketHandshake.Validate(request, out _)!.Status, Is.EqualTo(400));
    }

    [TestCase("8")]
    [TestCase("14")]
    [TestCase("")]
    [TestCase(null)]
    public void A_version_other_than_13_gets_426_with_the_supported_version(string? version)
    {
        var refusal = WebSocketHandshake.Validate(Request(version13: version), out _);

        Assert.That(refusal!.Status, Is.EqualTo(426));
        Assert.That(refusal.Headers, Does.Contain(new KeyValuePair<string, string>("Sec-WebSocket-Version", "13")));
    }

    [TestCase(null, TestName = "Missing_key_gets_400")]
    [TestCase("", TestName = "Empty_key_gets_400")]
    [TestCase("dGhlIHNhbXBsZSBub25jZQ", TestName = "Unpadded_key_gets_400")]
    [TestCase("dGhlIHNhbXBsZSBub25jZQ==dGhl", TestName = "Long_key_gets_400")]
    [TestCase("dGhlIHNhbXBsZSBub25jZX0=", TestName = "Key_of_17_bytes_gets_400")]
    [TestCase("dGhlIHNhbXBsZSBub25j!Q==", TestName = "Key_that_is_not_base64_gets_400")]
    [TestCase("AAAAAAAAAAAAAAAA", TestName = "Key_of_12_bytes_gets_400")]
    public void A_bad_key_gets_400(string? key)
    {
        var refusal = WebSocketHandshake.Validate(Request(key: key), out _);

        Assert.That(refusal!.Status, Is.EqualTo(400));
        Assert.That(refusal.Code, Is.EqualTo("BAD_HANDSHAKE"));
    }

    [Test]
    public void A_key_sent_twice_gets_400()
    {
        var request = Request(headers: [.. Upgrade(Key), new("Sec-WebSocket-Key", Key)]);

        Assert.That(WebSocketHandshake.Validate(request, out _)!.Status, Is.EqualTo(400));
    }

    [TestCase(null, null)]
    [TestCase("  ", null)]
    [TestCase("edge.v1.json", "edge.v1.json")]
    [TestCase("edge.v2.cbor, edge.v1.msgpack, edge.v1.json", "edge.v1.msgpack")]
    [TestCase("bearer.a.b.c", null)]
    [TestCase("bearer.a.b.c, edge.v1.json", "edge.v1.json")]
    public void Subprotocol_negotiation_picks_the_first_supported_offer(string? offered, string? expected)
    {
        var refusal = WebSocketHandshake.NegotiateSubprotocol(offered, EdgeWebSocketAdmission.Subprotocols, out var selected);

        Assert.That(refusal, Is.Null);
        Assert.That(selected, Is.EqualTo(expected));
    }

    [TestCase("edge.v2.cbor")]
    [TestCase("EDGE.V1.JSON")]
    [TestCase("bearer.a.b.c, chat")]
    public void Offering_only_unsupported_subprotocols_gets_400(string offered)
    {
        var refusal = WebSocketHandshake.NegotiateSubprotocol(offered, EdgeWebSocketAdmission.Subprotocols, out var selected);

        Assert.That(refusal!.Status, Is.EqualTo(400));
        Assert.That(refusal.Code, Is.EqualTo("UNSUPPORTED_SUBPROTOCOL"));
        Assert.That(selected, Is.Null);
    }

    [Test]
    public void The_negotiated_token_maps_to_the_client_encoding()
    {
        WebSocketHandshake.NegotiateSubprotocol("edge.v1.json", EdgeWebSocketAdmission.Subprotocols, out var selected);

        Assert.That(ClientSubprotocol.TryNegotiate(selected, out var encoding, out _), Is.True);
        Assert.That(encoding, Is.EqualTo(ClientEncoding.Json));
    }

    [Test]
    public void Header_values_on_several_lines_are_joined()
    {
        var request = Request(headers: [new("Sec-WebSocket-Protocol", "a"), new("Host", "x"), new("sec-websocket-protocol", "b, c")]);

        Assert.That(WebSocketHandshake.JoinedHeader(request, "Sec-WebSocket-Protocol"), Is.EqualTo("a, b, c"));
        Assert.That(WebSocketHandshake.JoinedHeader(request, "Origin"), Is.Null);
    }

    [Test]
    public void The_101_response_echoes_the_subprotocol_only_when_one_was_chosen()
    {
        var with = WebSocketHandshake.SwitchingProtocols(DotNetty.Buffers.UnpooledByteBufferAllocator.Default, "abc=", "edge.v1.json");
        var without = WebSocketHandshake.SwitchingProtocols(DotNetty.Buffers.UnpooledByteBufferAllocator.Default, "abc=", null);
        try
        {
            Assert.That(with.ToString(Encoding.ASCII), Is.EqualTo(
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: abc=\r\nSec-WebSocket-Protocol: edge.v1.json\r\n\r\n"));
            Assert.That(without.ToString(Encoding.ASCII), Does.Not.Contain("Sec-WebSocket-Protocol"));
        }
        finally
        {
            with.Release();
            without.Release();
        }
    }

    [Test]
    public void A_refusal_body_is_the_error_json_with_escaped_text()
    {
        var refusal = new WebSocketRefusal(429, "TOO_MANY_CONNECTIONS", "limit \"10\" reached");

        using var json = JsonDocument.Parse(refusal.Body());

        Assert.That(json.RootElement.GetProperty("error").GetString(), Is.EqualTo("TOO_MANY_CONNECTIONS"));
        Assert.That(json.RootElement.GetProperty("message").GetString(), Is.EqualTo("limit \"10\" reached"));
    }

    internal static KeyValuePair<string, string>[] Upgrade(string? key, string? version = "13")
    {
        var headers = new List<KeyValuePair<string, string>> { new("Host", "edge"), new("Upgrade", "websocket"), new("Connection", "Upgrade") };
        if (version is not null)
        {
            headers.Add(new("Sec-WebSocket-Version", version));
        }

        if (key is not null)
        {
            headers.Add(new("Sec-WebSocket-Key", key));
        }

        return [.. headers];
    }

    private static HttpRequestHead Request(
        string method = "GET",
        string version = "HTTP/1.1",
        string? key = Key,
        string? version13 = "13",
        KeyValuePair<string, string>[]? headers = null) =>
        new(method, "/market-data", version, headers ?? Upgrade(key, version13), []);
}
