using System.Net.WebSockets;
using System.Text;
using Edge.EndToEnd.Tests.Support;
using Edge.Protocol.WebSockets;
using Edge.Server.Configuration;

namespace Edge.EndToEnd.Tests.WebSockets;

/// <summary>The conformance echo endpoint with .NET's own client, and hostile raw frames that must not disturb it.</summary>
public sealed class EchoEndpointTests
{
    private const int Limit = 32 * 1024;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private RunningTransport _edge = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        var options = new EdgeOptions();
        options.WebSocket.EchoPath = "/echo";
        options.WebSocket.MaxMessageBytes = Limit;
        _edge = await RunningTransport.StartAsync(options);
    }

    [OneTimeTearDown]
    public async Task StopServer() => await _edge.DisposeAsync();

    [Test]
    public async Task Text_and_binary_messages_come_back_with_their_type()
    {
        using var client = await ConnectAsync();

        await SendAsync(client, Encoding.UTF8.GetBytes("κόσμε"), WebSocketMessageType.Text);
        var text = await ReceiveAsync(client);
        await SendAsync(client, [0, 1, 2, 255], WebSocketMessageType.Binary);
        var binary = await ReceiveAsync(client);

        Assert.That(text.Type, Is.EqualTo(WebSocketMessageType.Text));
        Assert.That(Encoding.UTF8.GetString(text.Payload), Is.EqualTo("κόσμε"));
        Assert.That(binary.Type, Is.EqualTo(WebSocketMessageType.Binary));
        Assert.That(binary.Payload, Is.EqualTo(new byte[] { 0, 1, 2, 255 }));
        await CloseAsync(client);
    }

    [Test]
    public async Task A_fragmented_message_comes_back_whole()
    {
        using var client = await ConnectAsync();
        using var cts = new CancellationTokenSource(Bound);

        await client.SendAsync("frag"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: false, cts.Token);
        await client.SendAsync("men"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: false, cts.Token);
        await client.SendAsync("ted"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, cts.Token);
        var echo = await ReceiveAsync(client);

        Assert.That(Encoding.UTF8.GetString(echo.Payload), Is.EqualTo("fragmented"));
        await CloseAsync(client);
    }

    [Test]
    public async Task A_message_exactly_at_the_limit_comes_back()
    {
        using var client = await ConnectAsync();
        var payload = Pattern(Limit);

        await SendAsync(client, payload, WebSocketMessageType.Binary);
        var echo = await ReceiveAsync(client);

        Assert.That(echo.Payload, Is.EqualTo(payload));
        await CloseAsync(client);
    }

    [Test]
    public async Task A_message_over_the_limit_is_closed_with_1009()
    {
        using var client = await ConnectAsync();
        using var cts = new CancellationTokenSource(Bound);
        var receive = client.ReceiveAsync(new byte[1024], cts.Token);

        try
        {
            await client.SendAsync(Pattern(Limit - 10), WebSocketMessageType.Binary, endOfMessage: false, cts.Token);
            await client.SendAsync(Pattern(11), WebSocketMessageType.Binary, endOfMessage: true, cts.Token);
        }
        catch (WebSocketException)
        {
            // The server may have closed before the client finished sending.
        }

        var result = await receive;
        Assert.That(result.MessageType, Is.EqualTo(WebSocketMessageType.Close));
        Assert.That(client.CloseStatus, Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
    }

    private static IEnumerable<TestCaseData> HostileFrames()
    {
        yield return new TestCaseData(WireFrame.Raw(0x81, "x"u8.ToArray(), masked: false), 1002).SetName("Unmasked_frame_gets_1002");
        yield return new TestCaseData(WireFrame.Raw(0xC1, "x"u8.ToArray()), 1002).SetName("Reserved_bit_gets_1002");
        yield return new TestCaseData(WireFrame.Raw(0x83, "x"u8.ToArray()), 1002).SetName("Reserved_opcode_gets_1002");
        yield return new TestCaseData(WireFrame.Continuation("x"u8.ToArray(), fin: true), 1002).SetName("Orphan_continuation_gets_1002");
        yield return new TestCaseData(WireFrame.Raw(0x09, "x"u8.ToArray()), 1002).SetName("Fragmented_ping_gets_1002");
        yield return new TestCaseData(WireFrame.Masked(WebSocketOpcode.Ping, new byte[126]), 1002).SetName("Oversized_ping_gets_1002");
        yield return new TestCaseData(WireFrame.Masked(WebSocketOpcode.Close, [3]), 1002).SetName("One_byte_close_gets_1002");
        yield return new TestCaseData(WireFrame.Close(1005), 1002).SetName("Close_code_1005_gets_1002");
        yield return new TestCaseData(WireFrame.Masked(WebSocketOpcode.Text, [0xC0, 0xAF]), 1007).SetName("Overlong_utf8_gets_1007");
        yield return new TestCaseData(WireFrame.Masked(WebSocketOpcode.Close, [0x03, 0xE8, 0xFF]), 1007).SetName("Close_reason_not_utf8_gets_1007");
        yield return new TestCaseData(WireFrame.Binary(new byte[Limit + 1]), 1009).SetName("Frame_over_the_limit_gets_1009");
        yield return new TestCaseData(Convert.FromHexString("82FF8000000000000000A1B2C3D4"), 1002).SetName("Length_with_the_top_bit_set_gets_1002");
    }

    [TestCaseSource(nameof(HostileFrames))]
    public async Task A_hostile_frame_gets_its_close_code_while_another_client_carries_on(byte[] hostile, int code)
    {
        using var bystander = await ConnectAsync();
        using var attacker = await RawWebSocket.OpenAsync(_edge.EndPoint, "/echo");
        Assert.That(attacker.Status, Is.EqualTo(101));

        await attacker.SendAsync(hostile);
        var frames = await attacker.ReadUntilCloseAsync();

        Assert.That(frames.Single().CloseCode, Is.EqualTo(code));
        Assert.That(await attacker.WaitForEndAsync(), Is.True);
        await SendAsync(bystander, "still here"u8.ToArray(), WebSocketMessageType.Text);
        Assert.That(Encoding.UTF8.GetString((await ReceiveAsync(bystander)).Payload), Is.EqualTo("still here"));
        await CloseAsync(bystander);
    }

    [Test]
    public async Task Protocol_errors_are_counted_by_close_code()
    {
        var before = _edge.Server.WebSocketCounters.ProtocolErrors(1007);
        using (var attacker = await RawWebSocket.OpenAsync(_edge.EndPoint, "/echo"))
        {
            await attacker.SendAsync(WireFrame.Masked(WebSocketOpcode.Text, [0xFF]));
            Assert.That((await attacker.ReadUntilCloseAsync()).Single().CloseCode, Is.EqualTo(1007));
        }

        Assert.That(_edge.Server.WebSocketCounters.ProtocolErrors(1007), Is.GreaterThan(before));
    }

    [Test]
    public async Task A_client_close_is_answered_with_the_same_code_and_the_server_ends_the_connection()
    {
        using var client = await ConnectAsync();
        using var cts = new CancellationTokenSource(Bound);

        await client.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "leaving", cts.Token);

        Assert.That(client.State, Is.EqualTo(WebSocketState.Closed));
        Assert.That(client.CloseStatus, Is.EqualTo(WebSocketCloseStatus.EndpointUnavailable));
    }

    internal static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i % 251);
        }

        return bytes;
    }

    internal static async Task SendAsync(ClientWebSocket client, byte[] payload, WebSocketMessageType type)
    {
        using var cts = new CancellationTokenSource(Bound);
        await client.SendAsync(payload, type, endOfMessage: true, cts.Token);
    }

    internal static async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveAsync(ClientWebSocket client)
    {
        using var cts = new CancellationTokenSource(Bound);
        using var message = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            var result = await client.ReceiveAsync(buffer, cts.Token);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    internal static async Task CloseAsync(ClientWebSocket client)
    {
        using var cts = new CancellationTokenSource(Bound);
        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var client = new ClientWebSocket();
        try
        {
            using var cts = new CancellationTokenSource(Bound);
            await client.ConnectAsync(new Uri($"ws://127.0.0.1:{_edge.EndPoint.Port}/echo"), cts.Token);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
