namespace Edge.Protocol.Tests.Client;

/// <summary>
/// The span encoders (the hot path's) write every message shape to the same bytes as the MessagePackWriter and
/// Utf8JsonWriter encoders behind <see cref="MessageOutput"/>, whose bytes the golden file holds.
/// </summary>
public sealed class SpanEncoderTests
{
    private const string Names = "bad \"symbol\" \\ é\n\t\u0001\r<&> 价格"; // no characters outside the BMP: see SpanJsonEncoder

    private static readonly BestPrice EurUsd = BestPrice.Create(
        "EURUSD", new PriceLevel(1.0834, 1_000_000, "LMAX"), new PriceLevel(1.0836, 2_500_000, "EBS"), 1700000000123456789, 42);

    private static readonly long[] Integers =
        [0, 1, -1, -32, -33, 127, 128, 255, 256, -128, -129, 32767, 32768, -32768, -32769, 65535, 65536,
         int.MaxValue, (long)int.MaxValue + 1, int.MinValue, (long)int.MinValue - 1, uint.MaxValue, long.MaxValue, long.MinValue];

    [Test]
    public void Integers_take_the_same_forms()
    {
        foreach (var n in Integers)
        {
            AssertSameBytes(new PongMessage(n, -n));
            AssertSameBytes(new ConnectedMessage("c", n, (int)n, new((int)n, (int)(n >> 8), (int)(n >> 16), (int)(n >> 32))));
        }
    }

    [Test]
    public void Strings_take_the_same_headers_and_escapes()
    {
        foreach (var text in new[] { "", "x", new string('a', 31), new string('b', 32), new string('c', 255), new string('d', 256), new string('e', 70000), Names })
        {
            AssertSameBytes(new ErrorMessage(null, ErrorCode.InvalidMessage, text));
            AssertSameBytes(new NoticeMessage(text, 5));
            AssertSameBytes(new StatusMessage(FeedState.Down, text));
        }
    }

    [Test]
    public void Maps_and_arrays_of_every_header_width_match()
    {
        foreach (var count in new[] { 0, 1, 15, 16, 17, 70, 70000 })
        {
            var symbols = new string[count];
            var errors = new SymbolError[Math.Min(count, 100)];
            var prices = new BestPrice[Math.Min(count, 100)];
            for (var i = 0; i < count; i++)
            {
                symbols[i] = i % 7 == 3 ? Names : $"S{i}";
            }

            for (var i = 0; i < errors.Length; i++)
            {
                errors[i] = new SymbolError(symbols[i], ErrorCode.UnknownSymbol, Names);
                prices[i] = EurUsd;
            }

            AssertSameBytes(new AckMessage(count, AckKind.Subscribe, symbols, errors));
            AssertSameBytes(new SnapshotMessage(prices));
            AssertSameBytes(new SymbolsCommandMessage(WireNames.Subscribe, 1, symbols, count));
        }
    }

    [Test]
    public void The_other_shapes_match()
    {
        AssertSameBytes(new HeartbeatMessage(1700000015000000000));
        AssertSameBytes(new PingMessage(3));
        AssertSameBytes(new AuthMessage("token"));
        AssertSameBytes(new BestPriceMessage(EurUsd));
        AssertSameBytes(new SocketIoPriceMessage(PriceValues.Derive("EURUSD"u8, "LMAX"u8, "EBS"u8, EurUsd.ToQuote())));
    }

    private static void AssertSameBytes<TMessage>(TMessage message)
        where TMessage : struct, IWireMessage, allows ref struct
    {
        var messagePack = new ArrayBufferWriter<byte>();
        var json = new ArrayBufferWriter<byte>();
        MessageOutput.Write(messagePack, ClientEncoding.MessagePack, message);
        MessageOutput.Write(json, ClientEncoding.Json, message);
        var buffer = new byte[1 << 22];

        var spanMessagePack = new SpanMessagePackEncoder(buffer);
        message.WriteTo(ref spanMessagePack);
        Assert.That(Hex.Text(buffer.AsSpan(0, spanMessagePack.Position)), Is.EqualTo(Hex.Text(messagePack.WrittenSpan)));

        var spanJson = new SpanJsonEncoder(buffer);
        message.WriteTo(ref spanJson);
        Assert.That(Hex.Text(buffer.AsSpan(0, spanJson.Position)), Is.EqualTo(Hex.Text(json.WrittenSpan)));
    }
}
