using System.Buffers.Binary;

namespace Edge.Protocol.Ingest;

/// <summary>
/// Decodes the ingest price message. Never throws and never allocates: every malformed buffer
/// maps to one <see cref="IngestDecodeResult"/> reason, and an <see cref="IngestDecodeResult.Ok"/>
/// view satisfies every rule of docs/protocol.md (names pass <see cref="SymbolRules"/>, numbers are
/// finite, sizes are not negative).
/// </summary>
public static class IngestPriceDecoder
{
    public static IngestDecodeResult Decode(ReadOnlySpan<byte> buffer, out IngestPriceView view)
    {
        view = default;
        if (buffer.Length < IngestSchema.HeaderLength)
        {
            return IngestDecodeResult.TooShort;
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(buffer[IngestSchema.SchemaIdOffset..]) != IngestSchema.SchemaId)
        {
            return IngestDecodeResult.UnknownSchema;
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(buffer[IngestSchema.TemplateIdOffset..]) != IngestSchema.BestPriceTemplateId)
        {
            return IngestDecodeResult.UnknownTemplate;
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(buffer[IngestSchema.VersionOffset..]);
        if (version == 0)
        {
            return IngestDecodeResult.UnsupportedVersion;
        }

        int blockLength = BinaryPrimitives.ReadUInt16LittleEndian(buffer[IngestSchema.BlockLengthOffset..]);
        if (blockLength < IngestSchema.BlockLengthV1)
        {
            return IngestDecodeResult.BadBlockLength;
        }

        if (buffer.Length < IngestSchema.HeaderLength + blockLength)
        {
            return IngestDecodeResult.TooShort;
        }

        var block = buffer.Slice(IngestSchema.HeaderLength, IngestSchema.BlockLengthV1);

        // A newer version's longer block is skipped: the strings start after the declared block.
        var position = IngestSchema.HeaderLength + blockLength;
        var result = ReadName(buffer, ref position, SymbolRules.MaxSymbolBytes, out var symbol);
        if (result != IngestDecodeResult.Ok)
        {
            return result;
        }

        result = ReadName(buffer, ref position, SymbolRules.MaxSourceBytes, out var bidSource);
        if (result != IngestDecodeResult.Ok)
        {
            return result;
        }

        result = ReadName(buffer, ref position, SymbolRules.MaxSourceBytes, out var askSource);
        if (result != IngestDecodeResult.Ok)
        {
            return result;
        }

        if (version == IngestSchema.Version && position != buffer.Length)
        {
            return IngestDecodeResult.TrailingBytes;
        }

        var quote = new Quote(
            BinaryPrimitives.ReadDoubleLittleEndian(block[IngestSchema.BidPriceOffset..]),
            BinaryPrimitives.ReadDoubleLittleEndian(block[IngestSchema.BidSizeOffset..]),
            BinaryPrimitives.ReadDoubleLittleEndian(block[IngestSchema.AskPriceOffset..]),
            BinaryPrimitives.ReadDoubleLittleEndian(block[IngestSchema.AskSizeOffset..]),
            BinaryPrimitives.ReadInt64LittleEndian(block[IngestSchema.TimestampOffset..]),
            BinaryPrimitives.ReadUInt64LittleEndian(block[IngestSchema.SequenceOffset..]));

        if (!PriceMath.IsFinite(quote))
        {
            return IngestDecodeResult.NonFiniteNumber;
        }

        // "< 0" lets -0.0 through: it is a size of zero, passed on bit for bit.
        if (quote.BidSize < 0.0 || quote.AskSize < 0.0)
        {
            return IngestDecodeResult.NegativeSize;
        }

        view = new IngestPriceView(version, quote, symbol, bidSource, askSource);
        return IngestDecodeResult.Ok;
    }

    private static IngestDecodeResult ReadName(
        ReadOnlySpan<byte> buffer, scoped ref int position, int maxBytes, out ReadOnlySpan<byte> name)
    {
        name = default;
        if (position >= buffer.Length)
        {
            return IngestDecodeResult.TooShort;
        }

        int length = buffer[position];
        position++;
        if (length > buffer.Length - position)
        {
            return IngestDecodeResult.BadLength;
        }

        name = buffer.Slice(position, length);
        position += length;
        return SymbolRules.Check(name, maxBytes) switch
        {
            TextCheck.Ok => IngestDecodeResult.Ok,
            TextCheck.Empty => IngestDecodeResult.EmptyString,
            TextCheck.TooLong => IngestDecodeResult.LimitExceeded,
            TextCheck.InvalidUtf8 => IngestDecodeResult.BadUtf8,
            _ => IngestDecodeResult.ControlCharacter,
        };
    }
}
