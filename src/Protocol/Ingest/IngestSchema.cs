namespace Edge.Protocol.Ingest;

/// <summary>
/// Identifiers and layout of the ingest schema (SBE style, little-endian), carried as the payload
/// of Aeron data frames. docs/protocol.md, "Ingest message", has the byte map and an example.
/// </summary>
public static class IngestSchema
{
    /// <summary>Identifies this schema; a message with another schema id is not ours.</summary>
    public const ushort SchemaId = 0xED;

    /// <summary>The schema version this code writes. Newer versions may only append to the block and after the strings.</summary>
    public const ushort Version = 1;

    /// <summary>Template id of the best bid/ask message.</summary>
    public const ushort BestPriceTemplateId = 1;

    /// <summary>Message header: blockLength, templateId, schemaId, version (4 x uint16).</summary>
    public const int HeaderLength = 8;

    /// <summary>Fixed block of version 1: timestamp, sequence, bid price/size, ask price/size (6 x 8 bytes).</summary>
    public const int BlockLengthV1 = 48;

    /// <summary>Each string is a uint8 byte count followed by that many UTF-8 bytes.</summary>
    public const int StringLengthPrefix = 1;

    /// <summary>The largest version-1 message: header, block, three prefixed strings at their limits.</summary>
    public const int MaxMessageLength =
        HeaderLength + BlockLengthV1 + (3 * StringLengthPrefix)
        + SymbolRules.MaxSymbolBytes + (2 * SymbolRules.MaxSourceBytes);

    // Offsets inside the header.
    internal const int BlockLengthOffset = 0;
    internal const int TemplateIdOffset = 2;
    internal const int SchemaIdOffset = 4;
    internal const int VersionOffset = 6;

    // Offsets inside the fixed block (add HeaderLength for the message offset).
    internal const int TimestampOffset = 0;
    internal const int SequenceOffset = 8;
    internal const int BidPriceOffset = 16;
    internal const int BidSizeOffset = 24;
    internal const int AskPriceOffset = 32;
    internal const int AskSizeOffset = 40;
}
