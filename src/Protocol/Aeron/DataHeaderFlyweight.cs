using System.Buffers.Binary;

namespace Edge.Protocol.Aeron;

/// <summary>
/// The 32-byte header of a DATA or PAD frame. Offsets: 0 frame_length, 4 version, 5 flags, 6 type,
/// 8 term_offset, 12 session_id, 16 stream_id, 20 term_id, 24 reserved_value (int64); the payload follows.
/// </summary>
public readonly ref struct DataHeaderFlyweight
{
    public const int TermOffsetOffset = 8;
    public const int SessionIdOffset = 12;
    public const int StreamIdOffset = 16;
    public const int TermIdOffset = 20;
    public const int ReservedValueOffset = 24;

    private readonly ReadOnlySpan<byte> _buffer;

    /// <summary>Wraps a frame of at least 32 bytes; throws if it is shorter (check first).</summary>
    public DataHeaderFlyweight(ReadOnlySpan<byte> frame)
    {
        _ = frame[..AeronProtocol.DataHeaderLength];
        _buffer = frame;
    }

    public int FrameLength => BinaryPrimitives.ReadInt32LittleEndian(_buffer);

    public byte Version => _buffer[4];

    public byte Flags => _buffer[5];

    public AeronFrameType Type => (AeronFrameType)BinaryPrimitives.ReadInt16LittleEndian(_buffer[6..]);

    public int TermOffset => BinaryPrimitives.ReadInt32LittleEndian(_buffer[TermOffsetOffset..]);

    public int SessionId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[SessionIdOffset..]);

    public int StreamId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[StreamIdOffset..]);

    public int TermId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[TermIdOffset..]);

    public long ReservedValue => BinaryPrimitives.ReadInt64LittleEndian(_buffer[ReservedValueOffset..]);

    /// <summary>True for a heartbeat: a datagram of exactly 32 bytes whose frame length is 0.</summary>
    public bool IsHeartbeat => _buffer.Length == AeronProtocol.DataHeaderLength && FrameLength == 0;

    /// <summary>The payload bytes that are present in the wrapped span (for a PAD: usually none).</summary>
    public ReadOnlySpan<byte> Payload =>
        _buffer.Slice(AeronProtocol.DataHeaderLength, Math.Clamp(FrameLength, AeronProtocol.DataHeaderLength, _buffer.Length) - AeronProtocol.DataHeaderLength);

    /// <summary>
    /// Writes a DATA/PAD header. The frame length is written last, as Aeron does, so that a reader of the
    /// same memory that sees a non-zero length sees the whole header.
    /// </summary>
    public static void Encode(
        Span<byte> destination,
        int frameLength,
        byte flags,
        AeronFrameType type,
        int termOffset,
        int sessionId,
        int streamId,
        int termId,
        long reservedValue = 0)
    {
        var header = destination[..AeronProtocol.DataHeaderLength];
        BinaryPrimitives.WriteInt64LittleEndian(header[ReservedValueOffset..], reservedValue);
        BinaryPrimitives.WriteInt32LittleEndian(header[TermIdOffset..], termId);
        BinaryPrimitives.WriteInt32LittleEndian(header[StreamIdOffset..], streamId);
        BinaryPrimitives.WriteInt32LittleEndian(header[SessionIdOffset..], sessionId);
        BinaryPrimitives.WriteInt32LittleEndian(header[TermOffsetOffset..], termOffset);
        FrameHeaderFlyweight.Encode(header, frameLength, flags, type);
    }
}
