using System.Text.Json;
using MessagePack;

namespace Edge.Protocol.Tests.Client;

public sealed class PriceFrameEncoderTests
{
    private static readonly Quote EurUsd = new(1.0834, 1_000_000, 1.0836, 2_500_000, 1700000000123456789, 42);
    private static readonly Quote BtcUsd = new(64000.5, 0.25, 64001, 1.5, 1700000000223456789, 7);

    [Test]
    public void MessagePack_frame_matches_the_documented_bytes()
    {
        var encoder = new PriceFrameEncoder();
        var buffer = new byte[PriceFrameEncoder.MaxFrameLength];

        var written = encoder.EncodeMessagePackFrame(buffer, "EURUSD"u8, "LMAX"u8, "EBS"u8, EurUsd);

        // FIN + binary, 16-bit length 194 (0x00c2), then the payload.
        var expected = Hex.Bytes("82 7e 00 c2 " + ClientGoldenVectors.EurUsdPriceMessagePack);
        Assert.That(Hex.Spaced(buffer.AsSpan(0, written)), Is.EqualTo(Hex.Spaced(expected)));
    }

    [Test]
    public void Json_frame_matches_the_documented_text()
    {
        var encoder = new PriceFrameEncoder();
        var buffer = new byte[PriceFrameEncoder.MaxFrameLength];

        var written = encoder.EncodeJsonFrame(buffer, "EURUSD"u8, "LMAX"u8, "EBS"u8, EurUsd);

        // FIN + text, 16-bit length 263 (0x0107), then the JSON text.
        Assert.That(Hex.Spaced(buffer.AsSpan(0, 4)), Is.EqualTo("81 7e 01 07"));
        Assert.That(Encoding.UTF8.GetString(buffer, 4, written - 4), Is.EqualTo(ClientGoldenVectors.EurUsdPriceJson));
    }

    [Test]
    public void Second_example_in_both_encodings()
    {
        var encoder = new PriceFrameEncoder();
        var buffer = new byte[PriceFrameEncoder.MaxFrameLength];

        var written = encoder.EncodeMessagePackPayload(buffer, "BTC-USD"u8, "CB"u8, "KRKN"u8, BtcUsd);
        Assert.That(Hex.Spaced(buffer.AsSpan(0, written)), Is.EqualTo(Hex.Spaced(Hex.Bytes(ClientGoldenVectors.BtcUsdPriceMessagePack))));

        written = encoder.EncodeJsonPayload(buffer, "BTC-USD"u8, "CB"u8, "KRKN"u8, BtcUsd);
        Assert.That(Encoding.UTF8.GetString(buffer, 0, written), Is.EqualTo(ClientGoldenVectors.BtcUsdPriceJson));

        written = encoder.EncodeFrame(ClientEncoding.Json, buffer, "BTC-USD"u8, "CB"u8, "KRKN"u8, BtcUsd);
        Assert.That(Encoding.UTF8.GetString(buffer, 4, written - 4), Is.EqualTo(ClientGoldenVectors.BtcUsdPriceJson));
    }

    [Test]
    public void Random_quotes_decode_to_the_same_bits_with_MessagePackReader_and_a_JSON_parser()
    {
        var encoder = new PriceFrameEncoder();
        var buffer = new byte[PriceFrameEncoder.MaxFrameLength];
        var random = new Random(99);
        for (var i = 0; i < 2000; i++)
        {
            var quote = new Quote(
                RandomDouble(random), Math.Abs(RandomDouble(random)), RandomDouble(random), Math.Abs(RandomDouble(random)),
                random.NextInt64(long.MinValue, long.MaxValue), (ulong)random.NextInt64() << random.Next(0, 2));
            if (!PriceMath.IsFinite(quote))
            {
                continue;
            }

            var written = encoder.EncodeMessagePackFrame(buffer, "SYM"u8, "A\"B"u8, "Zürich"u8, quote);
            var payload = buffer.AsMemory(4, written - 4);
            AssertMessagePack(payload, quote);

            written = encoder.EncodeJsonFrame(buffer, "SYM"u8, "A\"B"u8, "Zürich"u8, quote);
            AssertJson(buffer.AsSpan(4, written - 4), quote);
        }
    }

    [Test]
    public void Hand_written_encoders_write_the_same_bytes_as_MessagePackWriter_and_Utf8JsonWriter()
    {
        var encoder = new PriceFrameEncoder();
        var fast = new byte[PriceFrameEncoder.MaxFrameLength];
        var reference = new byte[PriceFrameEncoder.MaxFrameLength];
        byte[][] symbols = ["A"u8.ToArray(), "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"u8.ToArray(), "A\"B\\C"u8.ToArray(), "東京/€"u8.ToArray()];
        byte[][] sources = ["X"u8.ToArray(), "Zürich"u8.ToArray(), "0123456789ABCDEF"u8.ToArray(), "q\"\\"u8.ToArray()];
        long[] timestamps = [0, 1, 127, 128, 255, 256, 65535, 65536, uint.MaxValue, 1L << 32, long.MaxValue,
            -1, -32, -33, -128, -129, -32768, -32769, int.MinValue, (long)int.MinValue - 1, long.MinValue];
        ulong[] sequences = [0, 127, 128, 255, 256, 65535, 65536, uint.MaxValue, (ulong)uint.MaxValue + 1, ulong.MaxValue];
        var random = new Random(1234);
        for (var i = 0; i < 3000; i++)
        {
            var quote = new Quote(
                RandomDouble(random), Math.Abs(RandomDouble(random)), RandomDouble(random), Math.Abs(RandomDouble(random)),
                timestamps[random.Next(timestamps.Length)], sequences[random.Next(sequences.Length)]);
            if (!PriceMath.IsFinite(quote))
            {
                continue;
            }

            var symbol = symbols[random.Next(symbols.Length)];
            var bid = sources[random.Next(sources.Length)];
            var ask = sources[random.Next(sources.Length)];

            var n = encoder.EncodeMessagePackFrame(fast, symbol, bid, ask, quote);
            var m = encoder.EncodeMessagePackFrameWithWriter(reference, symbol, bid, ask, quote);
            if (!fast.AsSpan(0, n).SequenceEqual(reference.AsSpan(0, m)))
            {
                Assert.Fail($"MessagePack differs for {quote}:\n{Hex.Spaced(fast.AsSpan(0, n))}\n{Hex.Spaced(reference.AsSpan(0, m))}");
            }

            n = encoder.EncodeJsonFrame(fast, symbol, bid, ask, quote);
            m = encoder.EncodeJsonFrameWithWriter(reference, symbol, bid, ask, quote);
            if (!fast.AsSpan(0, n).SequenceEqual(reference.AsSpan(0, m)))
            {
                Assert.Fail($"JSON differs for {quote}:\n{Encoding.UTF8.GetString(fast, 0, n)}\n{Encoding.UTF8.GetString(reference, 0, m)}");
            }
        }
    }

    [Test]
    public void Frames_have_the_16_bit_length_form_even_at_the_smallest()
    {
        var encoder = new PriceFrameEncoder();
        var buffer = new byte[PriceFrameEncoder.MaxFrameLength];
        var small = new Quote(0, 0, 0, 0, 0, 0);

        var written = encoder.EncodeMessagePackFrame(buffer, "A"u8, "B"u8, "C"u8, small);

        Assert.That(buffer[1], Is.EqualTo(126));
        Assert.That((buffer[2] << 8) | buffer[3], Is.EqualTo(written - 4));
        Assert.That(written - 4, Is.GreaterThan(125));
    }

    [Test]
    public void Refuses_non_finite_numbers_and_over_long_names()
    {
        var encoder = new PriceFrameEncoder();
        var buffer = new byte[PriceFrameEncoder.MaxFrameLength];

        Assert.Throws<ArgumentException>(() => encoder.EncodeJsonFrame(buffer, "A"u8, "B"u8, "C"u8, new Quote(double.NaN, 1, 1, 1, 0, 0)));
        Assert.Throws<ArgumentException>(() => encoder.EncodeMessagePackFrame(buffer, "A"u8, "B"u8, "C"u8, new Quote(1, double.PositiveInfinity, 1, 1, 0, 0)));
        Assert.Throws<ArgumentException>(() => encoder.EncodeMessagePackFrame(buffer, new byte[33], "B"u8, "C"u8, EurUsd));
        Assert.Throws<ArgumentException>(() => encoder.EncodeMessagePackFrame(buffer, "A"u8, new byte[17], "C"u8, EurUsd));
        Assert.Throws<ArgumentException>(() => encoder.EncodeMessagePackFrame(buffer, ""u8, "B"u8, "C"u8, EurUsd));
        Assert.Throws<ArgumentException>(() => encoder.EncodeMessagePackFrame(buffer.AsSpan(0, 300), "A"u8, "B"u8, "C"u8, EurUsd));

        // Still usable after a refusal.
        var written = encoder.EncodeJsonFrame(buffer, "EURUSD"u8, "LMAX"u8, "EBS"u8, EurUsd);
        Assert.That(Encoding.UTF8.GetString(buffer, 4, written - 4), Is.EqualTo(ClientGoldenVectors.EurUsdPriceJson));
    }

    [Test]
    public void Encoding_frames_allocates_nothing()
    {
        var encoder = new PriceFrameEncoder();
        var buffer = new byte[PriceFrameEncoder.MaxFrameLength];
        Span<byte> onStack = stackalloc byte[PriceFrameEncoder.MaxFrameLength];
        encoder.EncodeMessagePackFrame(buffer, "EURUSD"u8, "LMAX"u8, "EBS"u8, EurUsd);
        encoder.EncodeJsonFrame(buffer, "EURUSD"u8, "LMAX"u8, "EBS"u8, EurUsd);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var total = 0;
        for (var i = 0; i < 1000; i++)
        {
            total += encoder.EncodeMessagePackFrame(buffer, "EURUSD"u8, "LMAX"u8, "EBS"u8, EurUsd);
            total += encoder.EncodeJsonFrame(onStack, "EURUSD"u8, "LMAX"u8, "EBS"u8, EurUsd);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(total, Is.EqualTo(1000 * (198 + 267)));
    }

    private static double RandomDouble(Random random)
    {
        // Uniform bits cover every magnitude, subnormals included; a few plain decimals too.
        return random.Next(4) == 0
            ? Math.Round(random.NextDouble() * 1000, random.Next(0, 8))
            : BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue));
    }

    private static void AssertMessagePack(ReadOnlyMemory<byte> payload, Quote quote)
    {
        var reader = new MessagePackReader(payload);
        var fields = new Dictionary<string, object?>();
        var count = reader.ReadMapHeader();
        for (var i = 0; i < count; i++)
        {
            var key = reader.ReadString()!;
            if (key is "bid" or "ask")
            {
                var level = reader.ReadMapHeader();
                for (var j = 0; j < level; j++)
                {
                    var sub = reader.ReadString()!;
                    fields[key + "." + sub] = sub == "source" ? reader.ReadString() : BitConverter.DoubleToInt64Bits(reader.ReadDouble());
                }
            }
            else if (key is "type" or "symbol")
            {
                fields[key] = reader.ReadString();
            }
            else if (key is "timestamp")
            {
                fields[key] = reader.ReadInt64();
            }
            else if (key is "sequence")
            {
                fields[key] = reader.ReadUInt64();
            }
            else
            {
                Assert.That(reader.NextCode, Is.EqualTo(MessagePackCode.Float64), key);
                fields[key] = BitConverter.DoubleToInt64Bits(reader.ReadDouble());
            }
        }

        Assert.That(reader.End, Is.True);
        Assert.That(fields, Is.EquivalentTo(Expected(quote)));
    }

    private static void AssertJson(ReadOnlySpan<byte> payload, Quote quote)
    {
        using var document = JsonDocument.Parse(payload.ToArray());
        var root = document.RootElement;
        var fields = new Dictionary<string, object?>
        {
            ["type"] = root.GetProperty("type").GetString(),
            ["symbol"] = root.GetProperty("symbol").GetString(),
            ["timestamp"] = root.GetProperty("timestamp").GetInt64(),
            ["sequence"] = root.GetProperty("sequence").GetUInt64(),
            ["mid"] = BitConverter.DoubleToInt64Bits(root.GetProperty("mid").GetDouble()),
            ["spread"] = BitConverter.DoubleToInt64Bits(root.GetProperty("spread").GetDouble()),
            ["spreadBps"] = BitConverter.DoubleToInt64Bits(root.GetProperty("spreadBps").GetDouble()),
        };
        foreach (var side in new[] { "bid", "ask" })
        {
            var level = root.GetProperty(side);
            fields[side + ".price"] = BitConverter.DoubleToInt64Bits(level.GetProperty("price").GetDouble());
            fields[side + ".size"] = BitConverter.DoubleToInt64Bits(level.GetProperty("size").GetDouble());
            fields[side + ".source"] = level.GetProperty("source").GetString();
        }

        Assert.That(root.EnumerateObject().Count(), Is.EqualTo(9));
        Assert.That(fields, Is.EquivalentTo(Expected(quote)));
    }

    private static Dictionary<string, object?> Expected(Quote quote) => new()
    {
        ["type"] = "price",
        ["symbol"] = "SYM",
        ["bid.price"] = BitConverter.DoubleToInt64Bits(quote.BidPrice),
        ["bid.size"] = BitConverter.DoubleToInt64Bits(quote.BidSize),
        ["bid.source"] = "A\"B",
        ["ask.price"] = BitConverter.DoubleToInt64Bits(quote.AskPrice),
        ["ask.size"] = BitConverter.DoubleToInt64Bits(quote.AskSize),
        ["ask.source"] = "Zürich",
        ["mid"] = BitConverter.DoubleToInt64Bits((quote.BidPrice + quote.AskPrice) / 2),
        ["spread"] = BitConverter.DoubleToInt64Bits(quote.AskPrice - quote.BidPrice),
        ["spreadBps"] = BitConverter.DoubleToInt64Bits(
            (quote.BidPrice + quote.AskPrice) / 2 == 0 ? 0.0 : (quote.AskPrice - quote.BidPrice) / ((quote.BidPrice + quote.AskPrice) / 2) * 10000),
        ["timestamp"] = quote.Timestamp,
        ["sequence"] = quote.Sequence,
    };
}
