using System.Buffers.Binary;

namespace Edge.Protocol.Aeron;

/// <summary>
/// SETUP, 40 bytes: 8 term_offset, 12 session_id, 16 stream_id, 20 initial_term_id, 24 active_term_id,
/// 28 term_length, 32 mtu, 36 ttl (multicast only).
/// </summary>
public readonly ref struct SetupFlyweight
{
    private readonly ReadOnlySpan<byte> _buffer;

    /// <summary>Wraps a frame of at least 40 bytes; throws if it is shorter (check first).</summary>
    public SetupFlyweight(ReadOnlySpan<byte> frame) => _buffer = frame[..AeronProtocol.SetupLength];

    /// <summary>frame_length, version, flags and type.</summary>
    public FrameHeaderFlyweight Header => new(_buffer);

    public int TermOffset => BinaryPrimitives.ReadInt32LittleEndian(_buffer[8..]);

    public int SessionId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[12..]);

    public int StreamId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[16..]);

    public int InitialTermId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[20..]);

    public int ActiveTermId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[24..]);

    public int TermLength => BinaryPrimitives.ReadInt32LittleEndian(_buffer[28..]);

    public int Mtu => BinaryPrimitives.ReadInt32LittleEndian(_buffer[32..]);

    public int Ttl => BinaryPrimitives.ReadInt32LittleEndian(_buffer[36..]);

    /// <summary>Writes a SETUP frame and returns its length (40).</summary>
    public static int Encode(
        Span<byte> destination,
        int termOffset,
        int sessionId,
        int streamId,
        int initialTermId,
        int activeTermId,
        int termLength,
        int mtu,
        int ttl = 0,
        byte flags = 0)
    {
        var frame = destination[..AeronProtocol.SetupLength];
        FrameHeaderFlyweight.Encode(frame, AeronProtocol.SetupLength, flags, AeronFrameType.Setup);
        BinaryPrimitives.WriteInt32LittleEndian(frame[8..], termOffset);
        BinaryPrimitives.WriteInt32LittleEndian(frame[12..], sessionId);
        BinaryPrimitives.WriteInt32LittleEndian(frame[16..], streamId);
        BinaryPrimitives.WriteInt32LittleEndian(frame[20..], initialTermId);
        BinaryPrimitives.WriteInt32LittleEndian(frame[24..], activeTermId);
        BinaryPrimitives.WriteInt32LittleEndian(frame[28..], termLength);
        BinaryPrimitives.WriteInt32LittleEndian(frame[32..], mtu);
        BinaryPrimitives.WriteInt32LittleEndian(frame[36..], ttl);
        return AeronProtocol.SetupLength;
    }
}
