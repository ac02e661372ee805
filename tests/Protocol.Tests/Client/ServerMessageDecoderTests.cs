namespace Edge.Protocol.Tests.Client;

public sealed class ServerMessageDecoderTests
{
    private static IEnumerable<ClientEncoding> Encodings => [ClientEncoding.MessagePack, ClientEncoding.Json];

    [Test]
    public void Decodes_the_documented_price_bit_for_bit_in_both_encodings()
    {
        foreach (var encoding in Encodings)
        {
            var message = Decode(encoding, ClientGoldenVectors.EurUsdPriceMessagePack, ClientGoldenVectors.EurUsdPriceJson);

            Assert.That(message.Type, Is.EqualTo(ServerMessageType.Price));
            var price = message.Price!;
            Assert.That(price.Symbol, Is.EqualTo("EURUSD"));
            Assert.That(price.Bid, Is.EqualTo(new PriceLevel(1.0834, 1_000_000, "LMAX")));
            Assert.That(price.Ask, Is.EqualTo(new PriceLevel(1.0836, 2_500_000, "EBS")));
            Assert.That(BitConverter.DoubleToInt64Bits(price.Mid), Is.EqualTo(0x3ff15604189374bc));
            Assert.That(BitConverter.DoubleToInt64Bits(price.Spread), Is.EqualTo(0x3f2a36e2eb1c4000));
            Assert.That(BitConverter.DoubleToInt64Bits(price.SpreadBps), Is.EqualTo(0x3ffd88aed73e3e59));
            Assert.That((price.Timestamp, price.Sequence), Is.EqualTo((1700000000123456789L, 42UL)));
        }
    }

    [Test]
    public void Decodes_every_other_documented_server_message()
    {
        foreach (var encoding in Encodings)
        {
            var connected = Decode(encoding, ClientGoldenVectors.ConnectedMessagePack, ClientGoldenVectors.ConnectedJson);
            Assert.That((connected.Type, connected.ClientId, connected.ServerTime, connected.HeartbeatInterval, connected.Limits),
                Is.EqualTo((ServerMessageType.Connected, "c-7f3a", (long?)1700000000000000000, (int?)15000, (ConnectionLimits?)new ConnectionLimits(500, 100, 16384, 20))));

            var ack = Decode(encoding, ClientGoldenVectors.AckMessagePack, ClientGoldenVectors.AckJson);
            Assert.That((ack.Type, ack.Id, ack.AckKind), Is.EqualTo((ServerMessageType.Ack, (long?)1, (AckKind?)AckKind.Subscribe)));
            Assert.That(ack.Symbols, Is.EqualTo(new[] { "EURUSD", "GBPUSD" }));
            Assert.That(ack.Errors, Is.EqualTo(new[] { new SymbolError("XAUEUR", ErrorCode.UnknownSymbol, "not carried by this feed") }));

            var unsubscribed = Decode(encoding, ClientGoldenVectors.AckUnsubscribeMessagePack, ClientGoldenVectors.AckUnsubscribeJson);
            Assert.That((unsubscribed.AckKind, unsubscribed.Id), Is.EqualTo(((AckKind?)AckKind.Unsubscribe, (long?)2)));
            Assert.That(unsubscribed.Errors, Is.Empty);

            var error = Decode(encoding, ClientGoldenVectors.ErrorMessagePack, ClientGoldenVectors.ErrorJson);
            Assert.That((error.Type, error.Id, error.Code, error.Message), Is.EqualTo((ServerMessageType.Error, (long?)7, "RATE_LIMITED", "too many requests")));

            var anonymous = Decode(encoding, ClientGoldenVectors.ErrorWithoutIdMessagePack, ClientGoldenVectors.ErrorWithoutIdJson);
            Assert.That((anonymous.Id, anonymous.Code), Is.EqualTo(((long?)null, "INVALID_MESSAGE")));

            var heartbeat = Decode(encoding, ClientGoldenVectors.HeartbeatMessagePack, ClientGoldenVectors.HeartbeatJson);
            Assert.That((heartbeat.Type, heartbeat.Time), Is.EqualTo((ServerMessageType.Heartbeat, (long?)1700000015000000000)));

            var pong = Decode(encoding, ClientGoldenVectors.PongMessagePack, ClientGoldenVectors.PongJson);
            Assert.That((pong.Type, pong.Id, pong.Time), Is.EqualTo((ServerMessageType.Pong, (long?)3, (long?)1700000001000000000)));

            var status = Decode(encoding, ClientGoldenVectors.StatusMessagePack, ClientGoldenVectors.StatusJson);
            Assert.That((status.Type, status.Feed, status.Reason), Is.EqualTo((ServerMessageType.Status, (FeedState?)FeedState.Down, "no data for 5 s")));

            var notice = Decode(encoding, ClientGoldenVectors.NoticeMessagePack, ClientGoldenVectors.NoticeJson);
            Assert.That((notice.Type, notice.Message, notice.Time), Is.EqualTo((ServerMessageType.Notice, "maintenance at 22:00 UTC", (long?)1700000020000000000)));

            var snapshot = Decode(encoding, ClientGoldenVectors.SnapshotMessagePack, ClientGoldenVectors.SnapshotJson);
            Assert.That(snapshot.Prices!.Select(p => (p.Symbol, p.Sequence)), Is.EqualTo(new[] { ("EURUSD", 42UL), ("BTC-USD", 7UL) }));
            Assert.That(snapshot.Prices![1].SpreadBps, Is.EqualTo(0.07812408448338497));
        }
    }

    [Test]
    public void Ignores_unknown_keys_and_refuses_unknown_types_and_missing_fields()
    {
        Assert.That(DecodeJson("""{"type":"heartbeat","time":5,"load":0.3,"extra":{"a":[1]}}""")?.Time, Is.EqualTo(5));
        Assert.That(DecodeJson("""{"type":"gossip","time":5}"""), Is.Null);
        Assert.That(DecodeJson("""{"type":"heartbeat"}"""), Is.Null);
        Assert.That(DecodeJson("""{"type":"heartbeat","time":"5"}"""), Is.Null);
        Assert.That(DecodeJson("""{"type":"heartbeat","time":5,"time":6}"""), Is.Null);
        Assert.That(DecodeJson("""{"type":"heartbeat","time":5} {}"""), Is.Null);
        Assert.That(DecodeJson("""[1,2]"""), Is.Null);
        Assert.That(DecodeJson("""{"type":"notice","time":5}"""), Is.Null);
        Assert.That(DecodeJson("""{"type":"notice","message":7,"time":5}"""), Is.Null);
    }

    [Test]
    public void Never_throws_on_garbage()
    {
        var random = new Random(8);
        var seeds = new[]
        {
            Hex.Bytes(ClientGoldenVectors.SnapshotMessagePack),
            Encoding.UTF8.GetBytes(ClientGoldenVectors.SnapshotJson),
            Hex.Bytes(ClientGoldenVectors.AckMessagePack),
            Encoding.UTF8.GetBytes(ClientGoldenVectors.ConnectedJson),
        };
        for (var i = 0; i < 10_000; i++)
        {
            var seed = seeds[i % seeds.Length];
            var buffer = seed.AsSpan(0, random.Next(seed.Length + 1)).ToArray();
            for (var m = random.Next(0, 3); m > 0 && buffer.Length > 0; m--)
            {
                buffer[random.Next(buffer.Length)] = (byte)random.Next(256);
            }

            var encoding = (i % seeds.Length) % 2 == 0 ? ClientEncoding.MessagePack : ClientEncoding.Json;
            try
            {
                ServerMessageDecoder.TryDecode(encoding, buffer, out _);
            }
            catch (Exception e)
            {
                Assert.Fail($"{encoding} threw {e.GetType().Name} on {Hex.Spaced(buffer)}");
            }
        }
    }

    private static ServerMessage Decode(ClientEncoding encoding, string messagePackHex, string json)
    {
        var bytes = encoding == ClientEncoding.Json ? Encoding.UTF8.GetBytes(json) : Hex.Bytes(messagePackHex);
        Assert.That(ServerMessageDecoder.TryDecode(encoding, bytes, out var message), Is.True, encoding.ToString());
        return message!;
    }

    private static ServerMessage? DecodeJson(string json) =>
        ServerMessageDecoder.TryDecode(ClientEncoding.Json, Encoding.UTF8.GetBytes(json), out var message) ? message : null;
}
