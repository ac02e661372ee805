namespace Edge.Protocol.Tests.SocketIo;

public sealed class SocketIoMessageWriterTests
{
    [Test]
    public void The_open_packet_advertises_no_upgrades_and_the_timers()
    {
        Assert.That(
            Write(o => SocketIoMessageWriter.WriteOpen(o, "abc", 25000, 20000, 16384)),
            Is.EqualTo("0{\"sid\":\"abc\",\"upgrades\":[],\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":16384}"));
    }

    [Test]
    public void Connect_answers_name_the_namespace()
    {
        Assert.That(Write(o => SocketIoMessageWriter.WriteConnect(o, "s1")), Is.EqualTo("40/market-data,{\"sid\":\"s1\"}"));
        Assert.That(
            Write(o => SocketIoMessageWriter.WriteConnectError(o, "/market-data"u8, "bad", "TOKEN_MALFORMED")),
            Is.EqualTo("44/market-data,{\"message\":\"bad\",\"data\":{\"code\":\"TOKEN_MALFORMED\"}}"));
        Assert.That(Write(o => SocketIoMessageWriter.WriteConnectError(o, "/"u8, "Invalid namespace", null)), Is.EqualTo("44{\"message\":\"Invalid namespace\"}"));
        Assert.That(Write(SocketIoMessageWriter.WriteDisconnect), Is.EqualTo("41/market-data,"));
    }

    [Test]
    public void Acks_carry_the_request_id_and_the_original_reply_shapes()
    {
        Assert.That(
            Write(o => SocketIoMessageWriter.WriteSubscribeAck(o, 7, ["EUR/USD"], [new SymbolError("X", ErrorCode.ForbiddenSymbol, "no")])),
            Is.EqualTo("43/market-data,7[{\"subscribed\":[\"EUR/USD\"],\"errors\":[{\"symbol\":\"X\",\"code\":\"FORBIDDEN_SYMBOL\",\"message\":\"no\"}]}]"));
        Assert.That(Write(o => SocketIoMessageWriter.WriteUnsubscribeAck(o, 8, ["A"])), Is.EqualTo("43/market-data,8[{\"unsubscribed\":[\"A\"]}]"));
        Assert.That(
            Write(o => SocketIoMessageWriter.WriteErrorAck(o, 9, SocketIoMessageWriter.RateLimitExceeded)),
            Is.EqualTo("43/market-data,9[{\"error\":\"Rate limit exceeded\"}]"));
    }

    [Test]
    public void Events_are_named_arrays_in_the_namespace()
    {
        Assert.That(Write(o => SocketIoMessageWriter.WriteHeartbeat(o, 123)), Is.EqualTo("42/market-data,[\"heartbeat\",{\"timestamp\":123}]"));
        Assert.That(
            Write(o => SocketIoMessageWriter.WriteError(o, ErrorCode.TokenExpired, "gone")),
            Is.EqualTo("42/market-data,[\"error\",{\"code\":\"TOKEN_EXPIRED\",\"message\":\"gone\"}]"));
        Assert.That(
            Write(o => SocketIoMessageWriter.WriteStatus(o, FeedState.Down, "no upstream publisher")),
            Is.EqualTo("42/market-data,[\"status\",{\"feed\":\"down\",\"reason\":\"no upstream publisher\"}]"));
        Assert.That(
            Write(o => SocketIoMessageWriter.WriteSnapshot(o, [Encoding.UTF8.GetBytes("{\"a\":1}"), Encoding.UTF8.GetBytes("{\"b\":2}")])),
            Is.EqualTo("42/market-data,[\"snapshot\",{\"prices\":[{\"a\":1},{\"b\":2}]}]"));
        Assert.That(Write(o => SocketIoMessageWriter.WriteSnapshot(o, [])), Is.EqualTo("42/market-data,[\"snapshot\",{\"prices\":[]}]"));
    }

    private static string Write(Action<ArrayBufferWriter<byte>> write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
