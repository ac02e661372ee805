namespace Edge.Protocol.Tests.WebSockets;

public sealed class WebSocketCloseTests
{
    [Test]
    public void Writes_code_and_reason()
    {
        var buffer = new byte[125];

        var written = WebSocketClosePayload.Write(buffer, WebSocketCloseCode.GoingAway, "restart; reconnect in 5s");

        Assert.That(Hex.Spaced(buffer.AsSpan(0, written)),
            Is.EqualTo("03 e9 72 65 73 74 61 72 74 3b 20 72 65 63 6f 6e 6e 65 63 74 20 69 6e 20 35 73"));
    }

    [Test]
    public void Cuts_a_long_reason_at_a_character_boundary()
    {
        var buffer = new byte[200];

        // 61 two-byte characters = 122 bytes, then a three-byte one that does not fit in 123.
        var written = WebSocketClosePayload.Write(buffer, 4008, new string('é', 61) + "€");
        Assert.That(written, Is.EqualTo(2 + 122));
        Assert.That(Encoding.UTF8.GetString(buffer, 2, written - 2), Is.EqualTo(new string('é', 61)));

        written = WebSocketClosePayload.Write(buffer, 4008, new string('x', 500));
        Assert.That(written, Is.EqualTo(125));
    }

    [Test]
    public void Refuses_to_write_a_code_that_must_not_be_sent()
    {
        var buffer = new byte[125];

        Assert.Throws<ArgumentOutOfRangeException>(() => WebSocketClosePayload.Write(buffer, 1005, ""));
        Assert.Throws<ArgumentOutOfRangeException>(() => WebSocketClosePayload.Write(buffer, 999, ""));
    }

    [TestCase("", WebSocketClosePayloadStatus.NoStatusCode)]
    [TestCase("03", WebSocketClosePayloadStatus.Truncated)]
    [TestCase("03 e8", WebSocketClosePayloadStatus.Ok)]
    [TestCase("0f a8 62 79 65", WebSocketClosePayloadStatus.Ok)] // 4008 "bye"
    [TestCase("03 ed", WebSocketClosePayloadStatus.InvalidCode)] // 1005
    [TestCase("03 ee", WebSocketClosePayloadStatus.InvalidCode)] // 1006
    [TestCase("03 f7", WebSocketClosePayloadStatus.InvalidCode)] // 1015
    [TestCase("00 00", WebSocketClosePayloadStatus.InvalidCode)]
    [TestCase("13 88", WebSocketClosePayloadStatus.InvalidCode)] // 5000
    [TestCase("03 e8 ce ba e1 bd b9 cf 83 ce bc ce b5 ed a0 80 65 64 69 74 65 64", WebSocketClosePayloadStatus.InvalidUtf8)]
    public void Reads_close_payloads(string hex, WebSocketClosePayloadStatus expected)
    {
        Assert.That(WebSocketClosePayload.TryRead(Hex.Bytes(hex), out _, out _), Is.EqualTo(expected));
    }

    [Test]
    public void Refuses_a_payload_over_125_bytes()
    {
        var payload = new byte[126];
        payload[0] = 0x03;
        payload[1] = 0xe8;
        payload.AsSpan(2).Fill((byte)'*');

        Assert.That(WebSocketClosePayload.TryRead(payload, out _, out _), Is.EqualTo(WebSocketClosePayloadStatus.TooLong));
    }

    [Test]
    public void Reads_what_it_writes()
    {
        var buffer = new byte[125];
        var written = WebSocketClosePayload.Write(buffer, WebSocketCloseCode.SlowConsumer, "slow consumer");

        var status = WebSocketClosePayload.TryRead(buffer.AsSpan(0, written), out var code, out var reason);

        Assert.That(status, Is.EqualTo(WebSocketClosePayloadStatus.Ok));
        Assert.That(code, Is.EqualTo(4008));
        Assert.That(Encoding.UTF8.GetString(reason), Is.EqualTo("slow consumer"));
    }

    [Test]
    public void Close_code_validity_follows_rfc_6455_section_7_4()
    {
        int[] valid = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4001, 4999];
        int[] invalid = [0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535];

        Assert.That(valid.Where(c => !WebSocketCloseCode.IsValidOnWire(c)), Is.Empty);
        Assert.That(invalid.Where(WebSocketCloseCode.IsValidOnWire), Is.Empty);
    }

    [TestCase(1000, ReconnectAdvice.DoNotReconnect)]
    [TestCase(1001, ReconnectAdvice.Reconnect)]
    [TestCase(1006, ReconnectAdvice.Reconnect)]
    [TestCase(1008, ReconnectAdvice.DoNotReconnect)]
    [TestCase(1011, ReconnectAdvice.Reconnect)]
    [TestCase(4001, ReconnectAdvice.RefreshTokenThenReconnect)]
    [TestCase(4002, ReconnectAdvice.DoNotReconnect)]
    [TestCase(4003, ReconnectAdvice.DoNotReconnect)]
    [TestCase(4008, ReconnectAdvice.Reconnect)]
    public void Advises_clients_on_reconnecting(int code, ReconnectAdvice expected)
    {
        Assert.That(WebSocketCloseCode.AdviceFor(code), Is.EqualTo(expected));
    }
}
