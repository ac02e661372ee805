using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Edge.Protocol.Aeron;

/// <summary>
/// The 32-byte header of a DATA or PAD frame: the common header (<see cref="FrameHeaderFlyweight"/>), then
/// 8 term_offset, 12 session_id, 16 stream_id, 20 term_id, 24 reserved_value (int64); the payload follows. The static
/// readers serve the hot path.
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

    /// <summary>frame_length, version, flags and type.</summary>
    public FrameHeaderFlyweight Header => new(_buffer);

    public int TermOffset => ReadTermOffset(_buffer);

    public int SessionId => ReadSessionId(_buffer);

    public int StreamId => ReadStreamId(_buffer);

    public int TermId => ReadTermId(_buffer);

    public long ReservedValue => ReadReservedValue(_buffer);

    /// <summary>True for a heartbeat: a datagram of exactly 32 bytes whose frame length is 0.</summary>
    public bool IsHeartbeat => _buffer.Length == AeronProtocol.DataHeaderLength && FrameHeaderFlyweight.ReadFrameLength(_buffer) == 0;

    /// <summary>The payload bytes that are present in the wrapped span (for a PAD: usually none).</summary>
    public ReadOnlySpan<byte> Payload =>
        _buffer.Slice(
            AeronProtocol.DataHeaderLength,
            Math.Clamp(FrameHeaderFlyweight.ReadFrameLength(_buffer), AeronProtocol.DataHeaderLength, _buffer.Length) - AeronProtocol.DataHeaderLength);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ReadTermOffset(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt32LittleEndian(frame[TermOffsetOffset..]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ReadSessionId(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt32LittleEndian(frame[SessionIdOffset..]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ReadStreamId(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt32LittleEndian(frame[StreamIdOffset..]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ReadTermId(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt32LittleEndian(frame[TermIdOffset..]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long ReadReservedValue(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt64LittleEndian(frame[ReservedValueOffset..]);

    /// <summary>Writes a DATA/PAD header (the common header last: see <see cref="FrameHeaderFlyweight.Encode"/>).</summary>
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
