namespace Edge.Protocol.Tests.Ingest;

public sealed class IngestPriceEncoderTests
{
    [Test]
    public void Writes_the_documented_example()
    {
        var buffer = new byte[IngestSchema.MaxMessageLength];

        var written = IngestPriceEncoder.Encode(buffer, "EURUSD"u8, "LMAX"u8, "EBS"u8, IngestGoldenVectors.EurUsdQuote);

        Assert.That(Hex.Spaced(buffer.AsSpan(0, written)), Is.EqualTo(Hex.Spaced(Hex.Bytes(IngestGoldenVectors.EurUsd))));
        Assert.That(written, Is.EqualTo(IngestPriceEncoder.GetLength(6, 4, 3)));
    }

    [Test]
    public void The_string_overload_writes_the_same_bytes()
    {
        var buffer = new byte[IngestSchema.MaxMessageLength];

        var written = IngestPriceEncoder.Encode(buffer, "EURUSD", "LMAX", "EBS", IngestGoldenVectors.EurUsdQuote);

        Assert.That(buffer.AsSpan(0, written).ToArray(), Is.EqualTo(Hex.Bytes(IngestGoldenVectors.EurUsd)));
    }

    [Test]
    public void Round_trips_non_ascii_names_and_edge_values()
    {
        var buffer = new byte[IngestSchema.MaxMessageLength];
        var quote = new Quote(-37.63, 0.0, double.Epsilon, -0.0, long.MinValue, ulong.MaxValue);

        var written = IngestPriceEncoder.Encode(buffer, "ÉTÉ/€", "Zürich", "東京", quote);
        var result = IngestPriceDecoder.Decode(buffer.AsSpan(0, written), out var view);

        Assert.That(result, Is.EqualTo(IngestDecodeResult.Ok));
        Assert.That(view.Quote, Is.EqualTo(quote));
        Assert.That(Encoding.UTF8.GetString(view.Symbol), Is.EqualTo("ÉTÉ/€"));
        Assert.That(Encoding.UTF8.GetString(view.BidSource), Is.EqualTo("Zürich"));
        Assert.That(Encoding.UTF8.GetString(view.AskSource), Is.EqualTo("東京"));
    }

    [Test]
    public void Refuses_what_the_decoder_would_refuse()
    {
        var buffer = new byte[IngestSchema.MaxMessageLength];
        var good = IngestGoldenVectors.EurUsdQuote;

        using (Assert.EnterMultipleScope())
        {
            Assert.Throws<ArgumentException>(() => IngestPriceEncoder.Encode(buffer, new string('A', 33), "LMAX", "EBS", good));
            Assert.Throws<ArgumentException>(() => IngestPriceEncoder.Encode(buffer, "EURUSD", new string('B', 17), "EBS", good));
            Assert.Throws<ArgumentException>(() => IngestPriceEncoder.Encode(buffer, "", "LMAX", "EBS", good));
            Assert.Throws<ArgumentException>(() => IngestPriceEncoder.Encode(buffer, "EUR\tUSD", "LMAX", "EBS", good));
            Assert.Throws<ArgumentException>(() => IngestPriceEncoder.Encode(buffer, "EUR\uD800", "LMAX", "EBS", good));
            Assert.Throws<ArgumentException>(() => IngestPriceEncoder.Encode(
                buffer, "EURUSD", "LMAX", "EBS", new Quote(double.NaN, 1, 1, 1, 0, 0)));
            Assert.Throws<ArgumentException>(() => IngestPriceEncoder.Encode(
                buffer, "EURUSD", "LMAX", "EBS", new Quote(1, -1, 1, 1, 0, 0)));
            Assert.Throws<ArgumentException>(() => IngestPriceEncoder.Encode(buffer.AsSpan(0, 71), "EURUSD", "LMAX", "EBS", good));
        }
    }
}
