namespace Edge.Protocol.Tests.Ingest;

/// <summary>
/// Random, truncated and byte-mutated buffers: the decoder must never throw, and whatever it
/// accepts must obey every rule an <see cref="IngestDecodeResult.Ok"/> promises.
/// </summary>
public sealed class IngestPriceDecoderFuzzTests
{
    private static readonly byte[] Valid = Hex.Bytes(IngestGoldenVectors.EurUsd);

    [Test]
    public void Random_buffers()
    {
        var random = new Random(20240611);
        var counts = new int[Enum.GetValues<IngestDecodeResult>().Length];
        for (var i = 0; i < 20_000; i++)
        {
            var buffer = new byte[random.Next(0, 160)];
            random.NextBytes(buffer);

            // Half of them carry a plausible header so the decoder gets past the first checks.
            if (i % 2 == 0 && buffer.Length >= 8)
            {
                Valid.AsSpan(0, 8).CopyTo(buffer);
            }

            counts[(int)Check(buffer)]++;
        }

        Assert.That(counts[(int)IngestDecodeResult.TooShort], Is.GreaterThan(0));
        Assert.That(counts[(int)IngestDecodeResult.UnknownSchema], Is.GreaterThan(0));
    }

    [Test]
    public void Every_truncation_of_a_valid_message()
    {
        for (var length = 0; length < Valid.Length; length++)
        {
            var result = Check(Valid.AsSpan(0, length));
            Assert.That(result, Is.Not.EqualTo(IngestDecodeResult.Ok), $"truncated to {length} bytes");
        }

        Assert.That(Check(Valid), Is.EqualTo(IngestDecodeResult.Ok));
    }

    [Test]
    public void Every_byte_of_a_valid_message_set_to_every_value()
    {
        var buffer = new byte[Valid.Length];
        var accepted = 0;
        for (var position = 0; position < Valid.Length; position++)
        {
            for (var value = 0; value < 256; value++)
            {
                Valid.CopyTo(buffer, 0);
                buffer[position] = (byte)value;
                accepted += Check(buffer) == IngestDecodeResult.Ok ? 1 : 0;
            }
        }

        // Most of the fixed block is free-form numbers, so many mutations stay valid; not all of them.
        Assert.That(accepted, Is.InRange(Valid.Length, (Valid.Length * 256) - 1));
    }

    [Test]
    public void Random_multi_byte_mutations_and_random_tails()
    {
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var buffer = new byte[Valid.Length + random.Next(-8, 9)];
            Valid.AsSpan(0, Math.Min(Valid.Length, buffer.Length)).CopyTo(buffer);
            for (var m = random.Next(1, 5); m > 0; m--)
            {
                buffer[random.Next(buffer.Length)] = (byte)random.Next(256);
            }

            Check(buffer);
        }
    }

    private static IngestDecodeResult Check(ReadOnlySpan<byte> buffer)
    {
        IngestDecodeResult result;
        IngestPriceView view;
        try
        {
            result = IngestPriceDecoder.Decode(buffer, out view);
        }
        catch (Exception e)
        {
            Assert.Fail($"threw {e.GetType().Name} on {Hex.Spaced(buffer)}");
            throw;
        }

        if (result == IngestDecodeResult.Ok)
        {
            AssertConsistent(buffer, view);
        }

        return result;
    }

    private static void AssertConsistent(ReadOnlySpan<byte> buffer, IngestPriceView view)
    {
        var quote = view.Quote;
        var consistent =
            view.Version >= 1
            && SymbolRules.CheckSymbol(view.Symbol) == TextCheck.Ok
            && SymbolRules.CheckSource(view.BidSource) == TextCheck.Ok
            && SymbolRules.CheckSource(view.AskSource) == TextCheck.Ok
            && view.Symbol.Overlaps(buffer)
            && view.BidSource.Overlaps(buffer)
            && view.AskSource.Overlaps(buffer)
            && PriceMath.IsFinite(quote)
            && !(quote.BidSize < 0) && !(quote.AskSize < 0);
        if (!consistent)
        {
            Assert.Fail($"inconsistent Ok on {Hex.Spaced(buffer)}");
        }

        // What was accepted re-encodes (as version 1) to a message that decodes to the same thing.
        Span<byte> again = stackalloc byte[IngestSchema.MaxMessageLength];
        var written = IngestPriceEncoder.Encode(again, view.Symbol, view.BidSource, view.AskSource, quote);
        if (IngestPriceDecoder.Decode(again[..written], out var second) != IngestDecodeResult.Ok
            || second.Quote != quote
            || !second.Symbol.SequenceEqual(view.Symbol)
            || !second.BidSource.SequenceEqual(view.BidSource)
            || !second.AskSource.SequenceEqual(view.AskSource))
        {
            Assert.Fail($"re-encoding changed the message {Hex.Spaced(buffer)}");
        }

        if (view.Version == 1 && buffer.Length == written && buffer[0] == IngestSchema.BlockLengthV1 && buffer[1] == 0
            && !again[..written].SequenceEqual(buffer))
        {
            Assert.Fail($"a canonical version-1 message re-encoded differently: {Hex.Spaced(buffer)}");
        }
    }
}
