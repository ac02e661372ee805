namespace Edge.Protocol.Tests.Client;

public sealed class ClientCommandDecoderTests
{
    private static readonly ClientCommandLimits Limits = new() { MaxMessageBytes = 1024, MaxSymbolsPerRequest = 3 };

    [TestCase(ClientEncoding.MessagePack)]
    [TestCase(ClientEncoding.Json)]
    public void Decodes_the_documented_subscribe(ClientEncoding encoding)
    {
        var command = DecodeOk(encoding, ClientGoldenVectors.SubscribeMessagePack, ClientGoldenVectors.SubscribeJson);

        Assert.That(command.Type, Is.EqualTo(ClientCommandType.Subscribe));
        Assert.That(command.Id, Is.EqualTo(1));
        Assert.That(command.Symbols, Is.EqualTo(new[] { "EURUSD", "GBPUSD" }));
        Assert.That(command.SymbolErrors, Is.Empty);
        Assert.That(command.MaxRate, Is.EqualTo(10));
    }

    [TestCase(ClientEncoding.MessagePack)]
    [TestCase(ClientEncoding.Json)]
    public void Decodes_the_documented_unsubscribe_ping_and_auth(ClientEncoding encoding)
    {
        var unsubscribe = DecodeOk(encoding, ClientGoldenVectors.UnsubscribeMessagePack, ClientGoldenVectors.UnsubscribeJson);
        var ping = DecodeOk(encoding, ClientGoldenVectors.PingMessagePack, ClientGoldenVectors.PingJson);
        var auth = DecodeOk(encoding, ClientGoldenVectors.AuthMessagePack, ClientGoldenVectors.AuthJson);

        Assert.That((unsubscribe.Type, unsubscribe.Id, unsubscribe.MaxRate), Is.EqualTo((ClientCommandType.Unsubscribe, (long?)2, (int?)null)));
        Assert.That(unsubscribe.Symbols, Is.EqualTo(new[] { "EURUSD" }));
        Assert.That((ping.Type, ping.Id), Is.EqualTo((ClientCommandType.Ping, (long?)3)));
        Assert.That((auth.Type, auth.Token), Is.EqualTo((ClientCommandType.Auth, "eyJhbGciOiJIUzI1NiJ9.e30.c2ln")));
    }

    // Each JSON case is also run as MessagePack (converted), so both encodings obey one rule set.
    [TestCase("""[]""", ErrorCode.InvalidMessage, null)]
    [TestCase("""{"id":1}""", ErrorCode.InvalidMessage, 1L)]
    [TestCase("""{"type":"hello","id":5}""", ErrorCode.UnknownType, 5L)]
    [TestCase("""{"type":7,"id":5}""", ErrorCode.InvalidMessage, null)]
    [TestCase("""{"type":"subscribe","symbols":["EURUSD"]}""", ErrorCode.InvalidMessage, null)]
    [TestCase("""{"type":"subscribe","id":-1,"symbols":["EURUSD"]}""", ErrorCode.InvalidMessage, null)]
    [TestCase("""{"type":"subscribe","id":9007199254740992,"symbols":["EURUSD"]}""", ErrorCode.InvalidMessage, null)]
    [TestCase("""{"type":"subscribe","id":18446744073709551615,"symbols":["EURUSD"]}""", ErrorCode.InvalidMessage, null)]
    [TestCase("""{"type":"subscribe","id":1.5,"symbols":["EURUSD"]}""", ErrorCode.InvalidMessage, null)]
    [TestCase("""{"type":"subscribe","id":"1","symbols":["EURUSD"]}""", ErrorCode.InvalidMessage, null)]
    [TestCase("""{"type":"subscribe","id":1}""", ErrorCode.InvalidMessage, 1L)]
    [TestCase("""{"type":"subscribe","id":1,"symbols":"EURUSD"}""", ErrorCode.InvalidMessage, 1L)]
    [TestCase("""{"type":"subscribe","id":1,"symbols":["EURUSD",2]}""", ErrorCode.InvalidMessage, 1L)]
    [TestCase("""{"type":"subscribe","id":1,"symbols":[]}""", ErrorCode.InvalidMessage, 1L)]
    [TestCase("""{"type":"subscribe","id":1,"symbols":["A","B","C","D"]}""", ErrorCode.TooManySymbols, 1L)]
    [TestCase("""{"type":"subscribe","symbols":["A","B","C","D"],"id":1}""", ErrorCode.TooManySymbols, 1L)]
    [TestCase("""{"type":"subscribe","id":1,"symbols":["A"],"maxRate":0}""", ErrorCode.InvalidMessage, 1L)]
    [TestCase("""{"type":"subscribe","id":1,"symbols":["A"],"maxRate":2.5}""", ErrorCode.InvalidMessage, 1L)]
    [TestCase("""{"type":"subscribe","id":1,"symbols":["A"],"maxRate":4294967296}""", ErrorCode.InvalidMessage, 1L)]
    [TestCase("""{"type":"ping","id":1,"id":2}""", ErrorCode.InvalidMessage, 1L)]
    [TestCase("""{"type":"ping"}""", ErrorCode.InvalidMessage, null)]
    [TestCase("""{"type":"ping","id":null}""", ErrorCode.InvalidMessage, null)]
    [TestCase("""{"type":"auth"}""", ErrorCode.InvalidMessage, null)]
    [TestCase("""{"type":"auth","token":""}""", ErrorCode.InvalidMessage, null)]
    [TestCase("""{"type":"auth","token":42}""", ErrorCode.InvalidMessage, null)]
    [TestCase("""{"type":"ping","x":[[[[[[[[1]]]]]]]],"id":1}""", ErrorCode.InvalidMessage, null)] // 9 levels: deeper than MaxDepth
    public void Refuses_bad_messages_in_both_encodings(string json, ErrorCode expected, long? expectedId)
    {
        foreach (var encoding in new[] { ClientEncoding.Json, ClientEncoding.MessagePack })
        {
            var bytes = encoding == ClientEncoding.Json ? Encoding.UTF8.GetBytes(json) : MessagePackFromJson.Convert(json);

            var ok = ClientCommandDecoder.TryDecode(encoding, bytes, Limits, out var command, out var error);

            Assert.That(ok, Is.False, encoding.ToString());
            Assert.That(command, Is.Null);
            Assert.That((error.Code, error.Id), Is.EqualTo((expected, expectedId)), $"{encoding}: {error.Message}");
            Assert.That(error.Message, Is.Not.Empty);
        }
    }

    [TestCase("""{"type":"ping","id":1,"extra":{"a":[1,2,{"b":null}]},"more":true}""")]
    [TestCase("""{"id":1,"type":"ping"}""")]
    [TestCase("""{"type":"ping","id":9007199254740991}""")]
    [TestCase("""{"type":"ping","id":1,"x":[[[[[[[1]]]]]]]}""")] // 8 levels: the deepest accepted
    [TestCase("""{"type":"subscribe","id":0,"symbols":["A"],"maxRate":null}""")]
    public void Accepts_unknown_fields_any_key_order_and_null_optionals(string json)
    {
        foreach (var encoding in new[] { ClientEncoding.Json, ClientEncoding.MessagePack })
        {
            var bytes = encoding == ClientEncoding.Json ? Encoding.UTF8.GetBytes(json) : MessagePackFromJson.Convert(json);

            var ok = ClientCommandDecoder.TryDecode(encoding, bytes, Limits, out var command, out var error);

            Assert.That(ok, Is.True, $"{encoding}: {error.Message}");
            Assert.That(command!.Id, Is.Not.Null);
        }
    }

    [Test]
    public void Invalid_symbols_are_reported_one_by_one_and_the_rest_go_through()
    {
        const string json = """{"type":"subscribe","id":4,"symbols":["EURUSD","","AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","A\u0001B"]}""";
        var limits = Limits with { MaxSymbolsPerRequest = 10 };
        foreach (var encoding in new[] { ClientEncoding.Json, ClientEncoding.MessagePack })
        {
            var bytes = encoding == ClientEncoding.Json ? Encoding.UTF8.GetBytes(json) : MessagePackFromJson.Convert(json);

            var ok = ClientCommandDecoder.TryDecode(encoding, bytes, limits, out var command, out _);

            Assert.That(ok, Is.True);
            Assert.That(command!.Symbols, Is.EqualTo(new[] { "EURUSD" }));
            Assert.That(command.SymbolErrors.Select(e => e.Symbol), Is.EqualTo(new[] { "", new string('A', 33), "A\u0001B" }));
            Assert.That(command.SymbolErrors.Select(e => e.Code), Is.All.EqualTo(ErrorCode.InvalidSymbol));
        }
    }

    [Test]
    public void Json_escapes_in_keys_and_values_are_understood()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"\u0074ype":"p\u0069ng","id":3}""");

        Assert.That(ClientCommandDecoder.TryDecodeJson(bytes, Limits, out var command, out _), Is.True);
        Assert.That(command!.Type, Is.EqualTo(ClientCommandType.Ping));
    }

    [TestCase("""{"type":"ping",""")]
    [TestCase("""{"type":"ping","id":1} x""")]
    [TestCase("""{"type":"ping","id":1}{}""")]
    [TestCase("""{"type":"ping","id":1,}""")]
    [TestCase("""{'type':'ping'}""")]
    [TestCase("")]
    [TestCase("null")]
    [TestCase("""{"type":"subscribe","id":1,"symbols":["\ud800"]}""")]
    public void Refuses_malformed_JSON(string json)
    {
        var ok = ClientCommandDecoder.TryDecodeJson(Encoding.UTF8.GetBytes(json), Limits, out _, out var error);

        Assert.That(ok, Is.False);
        Assert.That(error.Code, Is.EqualTo(ErrorCode.InvalidMessage));
    }

    [TestCase("")]
    [TestCase("c1")] // never used
    [TestCase("82 a4 74 79 70 65 a4 70 69 6e 67 a2 69")] // truncated inside a key
    [TestCase("82 a4 74 79 70 65 a4 70 69 6e 67 a2 69 64 03 00")] // trailing byte
    [TestCase("82 01 a4 70 69 6e 67 a2 69 64 03")] // integer key
    [TestCase("dd ff ff ff ff")] // array claiming 4 billion items
    [TestCase("df 00 00 00 01 a4 74 79 70 65")] // map whose value is missing
    [TestCase("a4 70 69 6e 67")] // a string, not a map
    [TestCase("82 a4 74 79 70 65 c4 04 70 69 6e 67 a2 69 64 03")] // type as bin, not str
    public void Refuses_malformed_MessagePack(string hex)
    {
        var ok = ClientCommandDecoder.TryDecodeMessagePack(Hex.Bytes(hex), Limits, out _, out var error);

        Assert.That(ok, Is.False);
        Assert.That(error.Code, Is.EqualTo(ErrorCode.InvalidMessage));
    }

    [Test]
    public void Refuses_deep_nesting_without_recursing()
    {
        // 100k nested arrays under an unknown key: refused by the structure check, no stack overflow.
        var deep = new byte[100_020];
        Hex.Bytes("82 a4 74 79 70 65 a1 78").CopyTo(deep, 0);
        deep.AsSpan(8, 100_000).Fill(0x91);
        var limits = Limits with { MaxMessageBytes = 200_000 };

        Assert.That(ClientCommandDecoder.TryDecodeMessagePack(deep, limits, out _, out var error), Is.False);
        Assert.That(error.Code, Is.EqualTo(ErrorCode.InvalidMessage));
    }

    [TestCase(ClientEncoding.MessagePack)]
    [TestCase(ClientEncoding.Json)]
    public void Refuses_messages_over_the_size_limit(ClientEncoding encoding)
    {
        var bytes = new byte[Limits.MaxMessageBytes + 1];

        Assert.That(ClientCommandDecoder.TryDecode(encoding, bytes, Limits, out _, out var error), Is.False);
        Assert.That(error.Code, Is.EqualTo(ErrorCode.MessageTooLarge));
    }

    private static ClientCommand DecodeOk(ClientEncoding encoding, string messagePackHex, string json)
    {
        var bytes = encoding == ClientEncoding.Json ? Encoding.UTF8.GetBytes(json) : Hex.Bytes(messagePackHex);
        var ok = ClientCommandDecoder.TryDecode(encoding, bytes, Limits, out var command, out var error);
        Assert.That(ok, Is.True, error.Message);
        return command!;
    }
}
