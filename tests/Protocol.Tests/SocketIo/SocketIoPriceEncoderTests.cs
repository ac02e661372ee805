using System.Text.Json;

namespace Edge.Protocol.Tests.SocketIo;

public sealed class SocketIoPriceEncoderTests
{
    [Test]
    public void A_price_is_one_text_frame_holding_the_event_in_the_original_shape()
    {
        var quote = new Quote(1.08421, 1_000_000, 1.08433, 2_500_000, 1_765_000_000_123_456_789, 42);
        var frame = new byte[PriceFrameEncoder.MaxFrameLength];

        var length = SocketIoPriceEncoder.EncodeFrame(frame, "EUR/USD"u8, "LP\"1"u8, "LP2"u8, quote);

        Assert.That(WebSocketFrame.TryReadHeader(frame.AsSpan(0, length), expectMasked: false, out var header), Is.EqualTo(WebSocketFrameHeaderStatus.Ok));
        Assert.That(header.Opcode, Is.EqualTo(WebSocketOpcode.Text));
        Assert.That(header.FrameLength, Is.EqualTo(length));
        var text = Encoding.UTF8.GetString(frame, header.HeaderLength, length - header.HeaderLength);
        Assert.That(text, Does.StartWith("42/market-data,[\"price\",{"));
        using var json = JsonDocument.Parse(text["42/market-data,".Length..]);
        var args = json.RootElement;
        Assert.That(args.GetArrayLength(), Is.EqualTo(2));
        Assert.That(args[0].GetString(), Is.EqualTo("price"));
        var price = args[1];
        Assert.That(price.EnumerateObject().Select(p => p.Name), Is.EqualTo(new[]
        {
            "symbol", "bestBid", "bestAsk", "midPrice", "spread", "spreadBps", "timestamp", "sequence",
        }));
        Assert.That(price.GetProperty("symbol").GetString(), Is.EqualTo("EUR/USD"));
        Assert.That(price.GetProperty("bestBid").GetProperty("price").GetDouble(), Is.EqualTo(1.08421));
        Assert.That(price.GetProperty("bestBid").GetProperty("size").GetDouble(), Is.EqualTo(1_000_000));
        Assert.That(price.GetProperty("bestBid").GetProperty("source").GetString(), Is.EqualTo("LP\"1"));
        Assert.That(price.GetProperty("bestAsk").GetProperty("price").GetDouble(), Is.EqualTo(1.08433));
        Assert.That(price.GetProperty("bestAsk").GetProperty("source").GetString(), Is.EqualTo("LP2"));
        Assert.That(price.GetProperty("midPrice").GetDouble(), Is.EqualTo(PriceMath.Mid(1.08421, 1.08433)));
        Assert.That(price.GetProperty("spread").GetDouble(), Is.EqualTo(PriceMath.Spread(1.08421, 1.08433)));
        Assert.That(price.GetProperty("spreadBps").GetDouble(), Is.EqualTo(PriceMath.SpreadBps(1.08421, 1.08433)));
        Assert.That(price.GetProperty("timestamp").GetInt64(), Is.EqualTo(1_765_000_000_123), "milliseconds since the epoch");
        Assert.That(price.GetProperty("sequence").GetUInt64(), Is.EqualTo(42));
    }

    [Test]
    public void The_price_object_is_found_again_in_the_frame_for_snapshots()
    {
        var frame = new byte[PriceFrameEncoder.MaxFrameLength];
        var length = SocketIoPriceEncoder.EncodeFrame(frame, "AAPL"u8, "X"u8, "Y"u8, new Quote(1, 2, 3, 4, 5_000_000, 6));

        var price = SocketIoPriceEncoder.PriceObjectOf(frame.AsSpan(0, length));

        using var json = JsonDocument.Parse(price.ToArray());
        Assert.That(json.RootElement.GetProperty("symbol").GetString(), Is.EqualTo("AAPL"));
        Assert.That(json.RootElement.GetProperty("timestamp").GetInt64(), Is.EqualTo(5));
    }

    [Test]
    public void Names_at_their_limits_fit_the_frame_ring_cell()
    {
        var frame = new byte[PriceFrameEncoder.MaxFrameLength];
        var symbol = Encoding.UTF8.GetBytes(new string('"', SymbolRules.MaxSymbolBytes));
        var source = Encoding.UTF8.GetBytes(new string('\\', SymbolRules.MaxSourceBytes));
        var quote = new Quote(-1.2345678901234567e-300, 1.7976931348623157e300, -1.2345678901234565e-300, 1.7976931348623157e300, long.MinValue, ulong.MaxValue);

        var length = SocketIoPriceEncoder.EncodeFrame(frame, symbol, source, source, quote);

        Assert.That(length, Is.LessThan(PriceFrameEncoder.MaxFrameLength));
        var text = Encoding.UTF8.GetString(SocketIoPriceEncoder.PriceObjectOf(frame.AsSpan(0, length)));
        using var json = JsonDocument.Parse(text);
        Assert.That(json.RootElement.GetProperty("symbol").GetString(), Is.EqualTo(new string('"', SymbolRules.MaxSymbolBytes)));
    }

    [Test]
    public void The_documented_price_event_is_what_the_encoder_writes()
    {
        var frame = new byte[PriceFrameEncoder.MaxFrameLength];
        var length = SocketIoPriceEncoder.EncodeFrame(frame, "EUR/USD"u8, "LP1"u8, "LP2"u8, new Quote(1.0841, 1_000_000, 1.0843, 1_500_000, 1_700_000_000_000_000_002, 2));
        var payload = Encoding.UTF8.GetString(frame, 4, length - 4);

        Assert.That(ProtocolDocument.Text, Does.Contain("    " + payload + "\n"));
    }
}
