namespace Edge.Protocol.Tests.SocketIo;

public sealed class SocketIoPacketParserTests
{
    [Test]
    public void An_event_with_namespace_ack_id_and_data_is_split_into_its_parts()
    {
        var text = Encoding.UTF8.GetBytes("42/market-data,17[\"subscribe\",{\"symbols\":[\"EUR/USD\"]}]");

        var error = SocketIoPacketParser.Parse(text, out var packet);

        Assert.That(error, Is.Null);
        Assert.That(packet.EngineType, Is.EqualTo(EngineIoPacketType.Message));
        Assert.That(packet.Type, Is.EqualTo(SocketIoPacketType.Event));
        Assert.That(Encoding.UTF8.GetString(packet.Namespace), Is.EqualTo("/market-data"));
        Assert.That(packet.AckId, Is.EqualTo(17));
        Assert.That(Encoding.UTF8.GetString(packet.Data), Is.EqualTo("[\"subscribe\",{\"symbols\":[\"EUR/USD\"]}]"));
    }

    [TestCase("40/market-data,{\"token\":\"t\"}", SocketIoPacketType.Connect, "/market-data", -1L, "{\"token\":\"t\"}")]
    [TestCase("40/market-data,", SocketIoPacketType.Connect, "/market-data", -1L, "")]
    [TestCase("40/market-data", SocketIoPacketType.Connect, "/market-data", -1L, "")]
    [TestCase("40", SocketIoPacketType.Connect, "/", -1L, "")]
    [TestCase("41/market-data,", SocketIoPacketType.Disconnect, "/market-data", -1L, "")]
    [TestCase("42[\"x\"]", SocketIoPacketType.Event, "/", -1L, "[\"x\"]")]
    [TestCase("421[\"x\"]", SocketIoPacketType.Event, "/", 1L, "[\"x\"]")]
    [TestCase("43/market-data,5[]", SocketIoPacketType.Ack, "/market-data", 5L, "[]")]
    public void Socket_io_packets_parse_as_socket_io_parser_reads_them(string text, SocketIoPacketType type, string ns, long ackId, string data)
    {
        var error = SocketIoPacketParser.Parse(Encoding.UTF8.GetBytes(text), out var packet);

        Assert.That(error, Is.Null);
        Assert.That(packet.Type, Is.EqualTo(type));
        Assert.That(Encoding.UTF8.GetString(packet.Namespace), Is.EqualTo(ns));
        Assert.That(packet.AckId, Is.EqualTo(ackId));
        Assert.That(Encoding.UTF8.GetString(packet.Data), Is.EqualTo(data));
    }

    [TestCase("2", EngineIoPacketType.Ping, "")]
    [TestCase("2probe", EngineIoPacketType.Ping, "probe")]
    [TestCase("3", EngineIoPacketType.Pong, "")]
    [TestCase("1", EngineIoPacketType.Close, "")]
    [TestCase("6", EngineIoPacketType.Noop, "")]
    public void Engine_io_control_packets_carry_their_type_and_the_rest(string text, EngineIoPacketType type, string rest)
    {
        var error = SocketIoPacketParser.Parse(Encoding.UTF8.GetBytes(text), out var packet);

        Assert.That(error, Is.Null);
        Assert.That(packet.EngineType, Is.EqualTo(type));
        Assert.That(Encoding.UTF8.GetString(packet.Data), Is.EqualTo(rest));
    }

    [TestCase("", SocketIoPacketParser.Empty)]
    [TestCase("9", SocketIoPacketParser.UnknownEngineType)]
    [TestCase("x42", SocketIoPacketParser.UnknownEngineType)]
    [TestCase("4", SocketIoPacketParser.MissingSocketType)]
    [TestCase("47[]", SocketIoPacketParser.UnknownSocketType)]
    [TestCase("4a", SocketIoPacketParser.UnknownSocketType)]
    [TestCase("451-[\"x\",{\"_placeholder\":true,\"num\":0}]", SocketIoPacketParser.BinaryNotSupported)]
    [TestCase("461-/market-data,1[]", SocketIoPacketParser.BinaryNotSupported)]
    [TestCase("421234567890123456[\"x\"]", SocketIoPacketParser.AckIdTooLong)]
    public void Malformed_packets_are_refused_with_a_reason(string text, string reason)
    {
        var error = SocketIoPacketParser.Parse(Encoding.UTF8.GetBytes(text), out _);

        Assert.That(error, Is.EqualTo(reason));
    }

    [Test]
    public void Random_bytes_never_throw()
    {
        var random = new Random(17);
        var buffer = new byte[64];
        for (var i = 0; i < 20_000; i++)
        {
            var length = random.Next(buffer.Length);
            random.NextBytes(buffer.AsSpan(0, length));
            if (length > 0 && random.Next(2) == 0)
            {
                buffer[0] = (byte)'4';
            }

            Assert.DoesNotThrow(() => SocketIoPacketParser.Parse(buffer.AsSpan(0, length), out _));
        }
    }
}
