using System.Buffers.Binary;

namespace Edge.Protocol.Aeron;

/// <summary>
/// RTT measurement (RTTM), 40 bytes: 8 session_id, 12 stream_id, 16 echo_timestamp (int64 ns),
/// 24 reception_delta (int64), 32 receiver_id (int64). Flag 0x80 asks for a reply.
/// </summary>
public readonly ref struct RttMeasurementFlyweight
{
    private readonly ReadOnlySpan<byte> _buffer;

    /// <summary>Wraps a frame of at least 40 bytes; throws if it is shorter (check first).</summary>
    public RttMeasurementFlyweight(ReadOnlySpan<byte> frame) => _buffer = frame[..AeronProtocol.RttMeasurementLength];

    /// <summary>frame_length, version, flags and type.</summary>
    public FrameHeaderFlyweight Header => new(_buffer);

    public int SessionId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[8..]);

    public int StreamId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[12..]);

    public long EchoTimestamp => BinaryPrimitives.ReadInt64LittleEndian(_buffer[16..]);

    public long ReceptionDelta => BinaryPrimitives.ReadInt64LittleEndian(_buffer[24..]);

    public long ReceiverId => BinaryPrimitives.ReadInt64LittleEndian(_buffer[32..]);

    /// <summary>Writes an RTTM frame and returns its length (40).</summary>
    public static int Encode(
        Span<byte> destination,
        byte flags,
        int sessionId,
        int streamId,
        long echoTimestamp,
        long receptionDelta,
        long receiverId)
    {
        var frame = destination[..AeronProtocol.RttMeasurementLength];
        FrameHeaderFlyweight.Encode(frame, AeronProtocol.RttMeasurementLength, flags, AeronFrameType.RttMeasurement);
        BinaryPrimitives.WriteInt32LittleEndian(frame[8..], sessionId);
        BinaryPrimitives.WriteInt32LittleEndian(frame[12..], streamId);
        BinaryPrimitives.WriteInt64LittleEndian(frame[16..], echoTimestamp);
        BinaryPrimitives.WriteInt64LittleEndian(frame[24..], receptionDelta);
        BinaryPrimitives.WriteInt64LittleEndian(frame[32..], receiverId);
        return AeronProtocol.RttMeasurementLength;
    }
}
