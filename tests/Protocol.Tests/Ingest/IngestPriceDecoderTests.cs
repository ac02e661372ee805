namespace Edge.Protocol.Tests.Ingest;

public sealed class IngestPriceDecoderTests
{
    [Test]
    public void Decodes_the_documented_example()
    {
        var bytes = Hex.Bytes(IngestGoldenVectors.EurUsd);

        var result = IngestPriceDecoder.Decode(bytes, out var view);

        Assert.That(result, Is.EqualTo(IngestDecodeResult.Ok));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(view.Version, Is.EqualTo(1));
            Assert.That(Encoding.UTF8.GetString(view.Symbol), Is.EqualTo("EURUSD"));
            Assert.That(Encoding.UTF8.GetString(view.BidSource), Is.EqualTo("LMAX"));
            Assert.That(Encoding.UTF8.GetString(view.AskSource), Is.EqualTo("EBS"));
            Assert.That(BitConverter.DoubleToInt64Bits(view.Quote.BidPrice), Is.EqualTo(0x3ff1559b3d07c84b));
            Assert.That(view.Quote.BidSize, Is.EqualTo(1_000_000.0));
            Assert.That(BitConverter.DoubleToInt64Bits(view.Quote.AskPrice), Is.EqualTo(0x3ff1566cf41f212d));
            Assert.That(view.Quote.AskSize, Is.EqualTo(2_500_000.0));
            Assert.That(view.Quote.Timestamp, Is.EqualTo(1700000000123456789));
            Assert.That(view.Quote.Sequence, Is.EqualTo(42UL));
        }
    }

    [Test]
    public void The_view_points_into_the_callers_buffer()
    {
        var bytes = Hex.Bytes(IngestGoldenVectors.EurUsd);

        IngestPriceDecoder.Decode(bytes, out var view);

        Assert.That(bytes.AsSpan().Overlaps(view.Symbol, out var offset), Is.True);
        Assert.That(offset, Is.EqualTo(IngestGoldenVectors.SymbolLengthOffset + 1));
    }

    [Test]
    public void A_newer_version_with_a_longer_block_and_appended_data_still_decodes()
    {
        var bytes = Hex.Bytes(
            "38 00  01 00  ed 00  02 00" // blockLength 56, version 2
            + " 15 cd 85 3d fe 9c 97 17  2a 00 00 00 00 00 00 00"
            + " 4b c8 07 3d 9b 55 f1 3f  00 00 00 00 80 84 2e 41"
            + " 2d 21 1f f4 6c 56 f1 3f  00 00 00 00 d0 12 43 41"
            + " 11 22 33 44 55 66 77 88" // a field version 2 added to the block
            + " 06 45 55 52 55 53 44  04 4c 4d 41 58  03 45 42 53"
            + " 02 41 42"); // a string version 2 appended

        var result = IngestPriceDecoder.Decode(bytes, out var view);

        Assert.That(result, Is.EqualTo(IngestDecodeResult.Ok));
        Assert.That(view.Version, Is.EqualTo(2));
        Assert.That(Encoding.UTF8.GetString(view.Symbol), Is.EqualTo("EURUSD"));
        Assert.That(Encoding.UTF8.GetString(view.AskSource), Is.EqualTo("EBS"));
        Assert.That(view.Quote, Is.EqualTo(IngestGoldenVectors.EurUsdQuote));
    }

    [TestCase("", IngestDecodeResult.TooShort)]
    [TestCase("30 00 01 00 ed 00 01", IngestDecodeResult.TooShort)]
    [TestCase("30 00 01 00 ee 00 01 00", IngestDecodeResult.UnknownSchema)]
    [TestCase("30 00 02 00 ed 00 01 00", IngestDecodeResult.UnknownTemplate)]
    [TestCase("30 00 01 00 ed 00 00 00", IngestDecodeResult.UnsupportedVersion)]
    [TestCase("28 00 01 00 ed 00 01 00", IngestDecodeResult.BadBlockLength)]
    [TestCase("30 00 01 00 ed 00 01 00  00 00 00 00", IngestDecodeResult.TooShort)]
    public void Refuses_a_bad_header(string hex, IngestDecodeResult expected)
    {
        Assert.That(IngestPriceDecoder.Decode(Hex.Bytes(hex), out _), Is.EqualTo(expected));
    }

    // Replaces the strings of the documented example (everything after the fixed block).
    [TestCase("", IngestDecodeResult.TooShort)]
    [TestCase("06 45 55 52 55 53 44", IngestDecodeResult.TooShort)]
    [TestCase("07 45 55 52 55 53 44", IngestDecodeResult.BadLength)]
    [TestCase("06 45 55 52 55 53 44  04 4c 4d 41 58  04 45 42 53", IngestDecodeResult.BadLength)]
    [TestCase("00  04 4c 4d 41 58  03 45 42 53", IngestDecodeResult.EmptyString)]
    [TestCase("06 45 55 52 55 53 44  00  03 45 42 53", IngestDecodeResult.EmptyString)]
    [TestCase("02 c3 28  04 4c 4d 41 58  03 45 42 53", IngestDecodeResult.BadUtf8)]
    [TestCase("03 ed a0 80  04 4c 4d 41 58  03 45 42 53", IngestDecodeResult.BadUtf8)] // a UTF-16 surrogate
    [TestCase("02 41 0a  04 4c 4d 41 58  03 45 42 53", IngestDecodeResult.ControlCharacter)]
    [TestCase("06 45 55 52 55 53 44  04 4c 4d 41 7f  03 45 42 53", IngestDecodeResult.ControlCharacter)]
    [TestCase("06 45 55 52 55 53 44  04 4c 4d 41 58  03 45 42 53  00", IngestDecodeResult.TrailingBytes)]
    public void Refuses_bad_strings(string stringsHex, IngestDecodeResult expected)
    {
        var bytes = Hex.Bytes(IngestGoldenVectors.EurUsd)[..IngestGoldenVectors.SymbolLengthOffset]
            .Concat(Hex.Bytes(stringsHex)).ToArray();

        Assert.That(IngestPriceDecoder.Decode(bytes, out _), Is.EqualTo(expected));
    }

    [Test]
    public void Enforces_the_symbol_and_source_limits()
    {
        var header = Hex.Bytes(IngestGoldenVectors.EurUsd)[..IngestGoldenVectors.SymbolLengthOffset];
        byte[] Name(int length) => [(byte)length, .. Enumerable.Repeat((byte)'A', length)];

        byte[] Message(int symbol, int bid, int ask) => [.. header, .. Name(symbol), .. Name(bid), .. Name(ask)];

        using (Assert.EnterMultipleScope())
        {
            Assert.That(IngestPriceDecoder.Decode(Message(32, 16, 16), out _), Is.EqualTo(IngestDecodeResult.Ok));
            Assert.That(IngestPriceDecoder.Decode(Message(33, 16, 16), out _), Is.EqualTo(IngestDecodeResult.LimitExceeded));
            Assert.That(IngestPriceDecoder.Decode(Message(32, 17, 16), out _), Is.EqualTo(IngestDecodeResult.LimitExceeded));
            Assert.That(IngestPriceDecoder.Decode(Message(32, 16, 17), out _), Is.EqualTo(IngestDecodeResult.LimitExceeded));
            Assert.That(IngestPriceDecoder.Decode(Message(255, 16, 16), out _), Is.EqualTo(IngestDecodeResult.LimitExceeded));
        }
        Assert.That(Message(32, 16, 16), Has.Length.EqualTo(IngestSchema.MaxMessageLength));
    }

    // Overwrites one float64 of the fixed block (little-endian bytes) of the documented example.
    [TestCase(24, "00 00 00 00 00 00 f8 7f", IngestDecodeResult.NonFiniteNumber)] // bid price NaN
    [TestCase(40, "00 00 00 00 00 00 f0 7f", IngestDecodeResult.NonFiniteNumber)] // ask price +Infinity
    [TestCase(32, "00 00 00 00 00 00 f0 ff", IngestDecodeResult.NonFiniteNumber)] // bid size -Infinity
    [TestCase(48, "01 00 00 00 00 00 f8 7f", IngestDecodeResult.NonFiniteNumber)] // ask size NaN with a payload
    [TestCase(32, "00 00 00 00 00 00 f0 bf", IngestDecodeResult.NegativeSize)] //    bid size -1.0
    [TestCase(48, "00 00 00 00 00 00 f0 bf", IngestDecodeResult.NegativeSize)] //    ask size -1.0
    [TestCase(48, "00 00 00 00 00 00 00 80", IngestDecodeResult.Ok)] //              ask size -0.0 is a size of zero
    public void Checks_the_numbers(int offset, string float64Hex, IngestDecodeResult expected)
    {
        var bytes = Hex.Bytes(IngestGoldenVectors.EurUsd);
        Hex.Bytes(float64Hex).CopyTo(bytes, offset);

        Assert.That(IngestPriceDecoder.Decode(bytes, out _), Is.EqualTo(expected));
    }

    [Test]
    public void Refuses_prices_whose_mid_would_overflow()
    {
        var bytes = Hex.Bytes(IngestGoldenVectors.EurUsd);
        var nearMax = Hex.Bytes("ff ff ff ff ff ff ef 7f"); // double.MaxValue
        nearMax.CopyTo(bytes, 24);
        nearMax.CopyTo(bytes, 40);

        Assert.That(IngestPriceDecoder.Decode(bytes, out _), Is.EqualTo(IngestDecodeResult.NonFiniteNumber));
    }

    [Test]
    public void Decoding_allocates_nothing()
    {
        var bytes = Hex.Bytes(IngestGoldenVectors.EurUsd);
        var bad = Hex.Bytes(IngestGoldenVectors.EurUsd)[..60];
        IngestPriceDecoder.Decode(bytes, out _);
        IngestPriceDecoder.Decode(bad, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var ok = 0;
        for (var i = 0; i < 1000; i++)
        {
            ok += IngestPriceDecoder.Decode(bytes, out var view) == IngestDecodeResult.Ok ? view.Symbol.Length : 0;
            ok += IngestPriceDecoder.Decode(bad, out _) == IngestDecodeResult.Ok ? 1 : 0;
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(ok, Is.EqualTo(6000));
    }
}
