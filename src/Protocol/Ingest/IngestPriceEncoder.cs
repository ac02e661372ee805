using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;

namespace Edge.Protocol.Ingest;

/// <summary>
/// Writes the ingest price message (version 1) for publishers: the demo feed, the perf harness,
/// tests. It refuses (throws <see cref="ArgumentException"/>) anything the decoder would refuse,
/// so a publisher bug surfaces at the publisher rather than as a counted drop at the edge.
/// </summary>
public static class IngestPriceEncoder
{
    /// <summary>Length of a version-1 message with names of the given UTF-8 byte lengths.</summary>
    public static int GetLength(int symbolBytes, int bidSourceBytes, int askSourceBytes) =>
        IngestSchema.HeaderLength + IngestSchema.BlockLengthV1
        + (3 * IngestSchema.StringLengthPrefix) + symbolBytes + bidSourceBytes + askSourceBytes;

    /// <summary>Encodes into <paramref name="destination"/> and returns the number of bytes written.</summary>
    public static int Encode(
        Span<byte> destination,
        ReadOnlySpan<byte> symbol,
        ReadOnlySpan<byte> bidSource,
        ReadOnlySpan<byte> askSource,
        in Quote quote)
    {
        Require(SymbolRules.CheckSymbol(symbol), nameof(symbol));
        Require(SymbolRules.CheckSource(bidSource), nameof(bidSource));
        Require(SymbolRules.CheckSource(askSource), nameof(askSource));
        if (!PriceMath.IsFinite(quote))
        {
            throw new ArgumentException("prices, sizes and derived values must be finite", nameof(quote));
        }

        if (quote.BidSize < 0.0 || quote.AskSize < 0.0)
        {
            throw new ArgumentException("sizes must not be negative", nameof(quote));
        }

        var length = GetLength(symbol.Length, bidSource.Length, askSource.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes, the message needs {length}", nameof(destination));
        }

        BinaryPrimitives.WriteUInt16LittleEndian(destination[IngestSchema.BlockLengthOffset..], IngestSchema.BlockLengthV1);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[IngestSchema.TemplateIdOffset..], IngestSchema.BestPriceTemplateId);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[IngestSchema.SchemaIdOffset..], IngestSchema.SchemaId);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[IngestSchema.VersionOffset..], IngestSchema.Version);

        var block = destination.Slice(IngestSchema.HeaderLength, IngestSchema.BlockLengthV1);
        BinaryPrimitives.WriteInt64LittleEndian(block[IngestSchema.TimestampOffset..], quote.Timestamp);
        BinaryPrimitives.WriteUInt64LittleEndian(block[IngestSchema.SequenceOffset..], quote.Sequence);
        BinaryPrimitives.WriteDoubleLittleEndian(block[IngestSchema.BidPriceOffset..], quote.BidPrice);
        BinaryPrimitives.WriteDoubleLittleEndian(block[IngestSchema.BidSizeOffset..], quote.BidSize);
        BinaryPrimitives.WriteDoubleLittleEndian(block[IngestSchema.AskPriceOffset..], quote.AskPrice);
        BinaryPrimitives.WriteDoubleLittleEndian(block[IngestSchema.AskSizeOffset..], quote.AskSize);

        var position = IngestSchema.HeaderLength + IngestSchema.BlockLengthV1;
        position = WriteName(destination, position, symbol);
        position = WriteName(destination, position, bidSource);
        return WriteName(destination, position, askSource);
    }

    /// <summary>Same as the span overload, transcoding the names to UTF-8 on the stack (no allocation).</summary>
    public static int Encode(Span<byte> destination, string symbol, string bidSource, string askSource, in Quote quote)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        ArgumentNullException.ThrowIfNull(bidSource);
        ArgumentNullException.ThrowIfNull(askSource);

        // One byte over each limit, so an over-long name reaches the span overload's check rather than failing the transcode.
        Span<byte> symbolBytes = stackalloc byte[SymbolRules.MaxSymbolBytes + 1];
        Span<byte> bidBytes = stackalloc byte[SymbolRules.MaxSourceBytes + 1];
        Span<byte> askBytes = stackalloc byte[SymbolRules.MaxSourceBytes + 1];
        return Encode(
            destination,
            ToUtf8(symbol, symbolBytes, nameof(symbol)),
            ToUtf8(bidSource, bidBytes, nameof(bidSource)),
            ToUtf8(askSource, askBytes, nameof(askSource)),
            quote);
    }

    private static ReadOnlySpan<byte> ToUtf8(string value, Span<byte> scratch, string parameterName)
    {
        // Lone surrogates are refused rather than silently replaced by U+FFFD.
        return Utf8.FromUtf16(value, scratch, out _, out var written, replaceInvalidSequences: false) switch
        {
            OperationStatus.Done => scratch[..written],
            OperationStatus.DestinationTooSmall => throw new ArgumentException($"'{value}' is longer than its limit in UTF-8 bytes", parameterName),
            _ => throw new ArgumentException("not well-formed UTF-16 text", parameterName),
        };
    }

    private static int WriteName(Span<byte> destination, int position, ReadOnlySpan<byte> name)
    {
        destination[position] = (byte)name.Length;
        name.CopyTo(destination[(position + 1)..]);
        return position + 1 + name.Length;
    }

    private static void Require(TextCheck check, string parameterName)
    {
        if (check != TextCheck.Ok)
        {
            throw new ArgumentException($"name fails the symbol rules: {check}", parameterName);
        }
    }
}
