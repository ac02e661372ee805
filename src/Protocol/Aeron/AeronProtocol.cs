namespace Edge.Protocol.Aeron;

/// <summary>
/// Fixed facts of the Aeron UDP wire protocol (see shared/aeron-protocol.md): every multi-byte field is
/// little-endian, frames start at 32-byte-aligned term offsets, and the current version is 0.
/// </summary>
public static class AeronProtocol
{
    /// <summary>The protocol version every frame carries at offset 4.</summary>
    public const byte CurrentVersion = 0;

    /// <summary>Length of the header common to every frame.</summary>
    public const int FrameHeaderLength = 8;

    /// <summary>Length of a DATA or PAD header; also the length of a heartbeat datagram.</summary>
    public const int DataHeaderLength = 32;

    /// <summary>Length of a SETUP frame.</summary>
    public const int SetupLength = 40;

    /// <summary>Length of a status message without the optional group tag.</summary>
    public const int StatusMessageLength = 36;

    /// <summary>Length of a status message that carries the optional group tag.</summary>
    public const int StatusMessageWithGroupTagLength = 44;

    /// <summary>Length of a NAK frame.</summary>
    public const int NakLength = 28;

    /// <summary>Length of an RTT measurement frame.</summary>
    public const int RttMeasurementLength = 40;

    /// <summary>Length of an ERR header; the error text follows it.</summary>
    public const int ErrorHeaderLength = 40;

    /// <summary>Longest error text an ERR frame may carry.</summary>
    public const int MaxErrorTextLength = 1023;

    /// <summary>Alignment of frames inside a term.</summary>
    public const int FrameAlignment = 32;

    /// <summary>Smallest term length (a power of two).</summary>
    public const int MinTermLength = 64 * 1024;

    /// <summary>Largest term length (a power of two).</summary>
    public const int MaxTermLength = 1024 * 1024 * 1024;

    /// <summary>Largest MTU (datagram length) a sender may use.</summary>
    public const int MaxMtu = 65504;

    /// <summary>The C and Java drivers' default MTU.</summary>
    public const int DefaultMtu = 1408;

    /// <summary>Hard ceiling on a message length, whatever the term length.</summary>
    public const int MaxMessageLengthCeiling = 16 * 1024 * 1024;

    /// <summary>Number of term buffers in a log.</summary>
    public const int PartitionCount = 3;

    /// <summary>DATA flag: first fragment of a message.</summary>
    public const byte BeginFlag = 0x80;

    /// <summary>DATA flag: last fragment of a message.</summary>
    public const byte EndFlag = 0x40;

    /// <summary>DATA flag (on heartbeats): the publication has ended at this position.</summary>
    public const byte EndOfStreamFlag = 0x20;

    /// <summary>DATA flags of an unfragmented message (BEGIN | END).</summary>
    public const byte UnfragmentedFlags = BeginFlag | EndFlag;

    /// <summary>Status message flag: please send a SETUP.</summary>
    public const byte SendSetupFlag = 0x80;

    /// <summary>Status message flag: the receiver is going away.</summary>
    public const byte StatusMessageEndOfStreamFlag = 0x40;

    /// <summary>RTTM flag: the frame asks for a reply.</summary>
    public const byte RttmReplyFlag = 0x80;

    /// <summary>SETUP flag: the sender wants a response channel.</summary>
    public const byte SetupSendResponseFlag = 0x80;

    /// <summary>SETUP flag: group semantics (multicast).</summary>
    public const byte SetupGroupFlag = 0x40;

    /// <summary>ERR flag: the group tag field is valid.</summary>
    public const byte ErrorGroupTagFlag = 0x08;
}
