namespace Edge.Protocol.Ingest;

/// <summary>Why <see cref="IngestPriceDecoder"/> accepted or refused a buffer. Counted per reason by ingest.</summary>
public enum IngestDecodeResult : byte
{
    Ok = 0,

    /// <summary>The buffer ends inside the header, the fixed block, or before a string length byte.</summary>
    TooShort,

    /// <summary>The header's schema id is not <see cref="IngestSchema.SchemaId"/>.</summary>
    UnknownSchema,

    /// <summary>The template id is not a message this schema defines.</summary>
    UnknownTemplate,

    /// <summary>Version 0, which no publisher ever wrote.</summary>
    UnsupportedVersion,

    /// <summary>The header's block length is smaller than the version-1 block.</summary>
    BadBlockLength,

    /// <summary>A string's declared length runs past the end of the buffer.</summary>
    BadLength,

    /// <summary>A symbol longer than 32 bytes or a source longer than 16 bytes.</summary>
    LimitExceeded,

    /// <summary>An empty symbol or source.</summary>
    EmptyString,

    /// <summary>A symbol or source that is not well-formed UTF-8.</summary>
    BadUtf8,

    /// <summary>A symbol or source containing a control character.</summary>
    ControlCharacter,

    /// <summary>A price or size is NaN or infinite, or a derived value (mid, spread, spreadBps) would be.</summary>
    NonFiniteNumber,

    /// <summary>A size below zero.</summary>
    NegativeSize,

    /// <summary>Bytes after the last field of a version-1 message (newer versions may append, version 1 may not).</summary>
    TrailingBytes,
}
