namespace Edge.Protocol.Tests.SocketIo;

public sealed class SocketIoPayloadReaderTests
{
    [TestCase("", null)]
    [TestCase("{}", null)]
    [TestCase("{\"token\":null}", null)]
    [TestCase("{\"token\":\"abc.def.ghi\",\"other\":[1,{\"x\":2}]}", "abc.def.ghi")]
    public void The_connect_token_is_read_from_the_auth_payload(string data, string? token)
    {
        var error = SocketIoPayloadReader.ReadConnectToken(Encoding.UTF8.GetBytes(data), out var read);

        Assert.That(error, Is.Null);
        Assert.That(read, Is.EqualTo(token));
    }

    [TestCase("\"abc\"")]
    [TestCase("[]")]
    [TestCase("{\"token\":5}")]
    [TestCase("{\"token\":\"a\",\"token\":\"b\"}")]
    [TestCase("{\"token\":\"a\"}{}")]
    [TestCase("{\"token\":")]
    [TestCase("{\"a\":[[[[[[[[[[[[1]]]]]]]]]]]}")]
    public void A_malformed_auth_payload_is_an_error(string data)
    {
        var error = SocketIoPayloadReader.ReadConnectToken(Encoding.UTF8.GetBytes(data), out _);

        Assert.That(error, Is.Not.Null);
    }

    [Test]
    public void A_subscribe_event_gives_its_symbols_and_max_rate_and_lists_invalid_names_apart()
    {
        var data = Encoding.UTF8.GetBytes("[\"subscribe\",{\"symbols\":[\"EUR/USD\",\"\",\"EUR/USD\",\"BTC/USD\"],\"maxRate\":5}]");

        var error = SocketIoPayloadReader.ReadEvent(data, 100, out var command);

        Assert.That(error, Is.Null);
        Assert.That(command!.Name, Is.EqualTo("subscribe"));
        Assert.That(command.Symbols, Is.EqualTo(new[] { "EUR/USD", "BTC/USD" }));
        Assert.That(command.SymbolErrors.Select(e => (e.Symbol, e.Code)), Is.EqualTo(new[] { (string.Empty, ErrorCode.InvalidSymbol) }));
        Assert.That(command.MaxRate, Is.EqualTo(5));
    }

    [Test]
    public void One_symbol_as_a_string_is_accepted()
    {
        var error = SocketIoPayloadReader.ReadEvent("[\"unsubscribe\",{\"symbols\":\"AAPL\"}]"u8, 100, out var command);

        Assert.That(error, Is.Null);
        Assert.That(command!.Symbols, Is.EqualTo(new[] { "AAPL" }));
    }

    [TestCase("{}")]
    [TestCase("[]")]
    [TestCase("[5]")]
    [TestCase("[\"subscribe\",{\"symbols\":[1]}]")]
    [TestCase("[\"subscribe\",{\"symbols\":{}}]")]
    [TestCase("[\"subscribe\",{\"maxRate\":-1}]")]
    [TestCase("[\"subscribe\",{\"maxRate\":1.5}]")]
    [TestCase("[\"subscribe\",{\"symbols\":[\"A\"]}")]
    [TestCase("[\"subscribe\"][]")]
    [TestCase("[\"subscribe\",[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]")]
    public void A_malformed_event_is_an_error_not_an_exception(string data)
    {
        var error = SocketIoPayloadReader.ReadEvent(Encoding.UTF8.GetBytes(data), 100, out var command);

        Assert.That(error, Is.Not.Null);
        Assert.That(command, Is.Null);
    }

    [Test]
    public void More_symbols_than_a_request_may_hold_are_refused()
    {
        var symbols = string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"S{i}\""));
        var error = SocketIoPayloadReader.ReadEvent(Encoding.UTF8.GetBytes($"[\"subscribe\",{{\"symbols\":[{symbols}]}}]"), 100, out _);

        Assert.That(error, Does.Contain("at most 100"));
    }
}
