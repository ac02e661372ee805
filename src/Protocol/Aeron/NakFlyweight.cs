using System.Buffers.Binary;

namespace Edge.Protocol.Aeron;

/// <summary>NAK, 28 bytes: 8 session_id, 12 stream_id, 16 term_id, 20 term_offset, 24 length (bytes missing).</summary>
public readonly ref struct NakFlyweight
{
    private readonly ReadOnlySpan<byte> _buffer;

    /// <summary>Wraps a frame of at least 28 bytes; throws if it is shorter (check first).</summary>
    public NakFlyweight(ReadOnlySpan<byte> frame) => _buffer = frame[..AeronProtocol.NakLength];

    /// <summary>frame_length, version, flags and type.</summary>
    public FrameHeaderFlyweight Header => new(_buffer);

    public int SessionId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[8..]);

    public int StreamId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[12..]);

    public int TermId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[16..]);

    public int TermOffset => BinaryPrimitives.ReadInt32LittleEndian(_buffer[20..]);

    public int Length => BinaryPrimitives.ReadInt32LittleEndian(_buffer[24..]);

    /// <summary>Writes a NAK frame (flags 0) and returns its length (28).</summary>
    public static int Encode(Span<byte> destination, int sessionId, int streamId, int termId, int termOffset, int length)
    {
        var frame = destination[..AeronProtocol.NakLength];
        FrameHeaderFlyweight.Encode(frame, AeronProtocol.NakLength, 0, AeronFrameType.Nak);
        BinaryPrimitives.WriteInt32LittleEndian(frame[8..], sessionId);
        BinaryPrimitives.WriteInt32LittleEndian(frame[12..], streamId);
        BinaryPrimitives.WriteInt32LittleEndian(frame[16..], termId);
        BinaryPrimitives.WriteInt32LittleEndian(frame[20..], termOffset);
        BinaryPrimitives.WriteInt32LittleEndian(frame[24..], length);
        return AeronProtocol.NakLength;
    }
}
