using System.Buffers.Binary;

namespace Edge.Protocol.Aeron;

/// <summary>
/// Status message (SM), 36 bytes or 44 with the optional group tag: 8 session_id, 12 stream_id,
/// 16 consumption_term_id, 20 consumption_term_offset, 24 receiver_window, 28 receiver_id (int64, not
/// 8-byte aligned: the C structs are packed to 4), [36 group_tag int64].
/// </summary>
public readonly ref struct StatusMessageFlyweight
{
    private readonly ReadOnlySpan<byte> _buffer;

    /// <summary>Wraps a frame of at least 36 bytes; throws if it is shorter (check first).</summary>
    public StatusMessageFlyweight(ReadOnlySpan<byte> frame)
    {
        _ = frame[..AeronProtocol.StatusMessageLength];
        _buffer = frame;
    }

    /// <summary>frame_length, version, flags and type.</summary>
    public FrameHeaderFlyweight Header => new(_buffer);

    public int SessionId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[8..]);

    public int StreamId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[12..]);

    public int ConsumptionTermId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[16..]);

    public int ConsumptionTermOffset => BinaryPrimitives.ReadInt32LittleEndian(_buffer[20..]);

    public int ReceiverWindow => BinaryPrimitives.ReadInt32LittleEndian(_buffer[24..]);

    public long ReceiverId => BinaryPrimitives.ReadInt64LittleEndian(_buffer[28..]);

    /// <summary>True when the frame is long enough to carry the group tag.</summary>
    public bool HasGroupTag =>
        FrameHeaderFlyweight.ReadFrameLength(_buffer) >= AeronProtocol.StatusMessageWithGroupTagLength
        && _buffer.Length >= AeronProtocol.StatusMessageWithGroupTagLength;

    public long GroupTag => HasGroupTag ? BinaryPrimitives.ReadInt64LittleEndian(_buffer[36..]) : 0;

    /// <summary>Writes a status message without a group tag and returns its length (36).</summary>
    public static int Encode(
        Span<byte> destination,
        byte flags,
        int sessionId,
        int streamId,
        int consumptionTermId,
        int consumptionTermOffset,
        int receiverWindow,
        long receiverId)
    {
        var frame = destination[..AeronProtocol.StatusMessageLength];
        FrameHeaderFlyweight.Encode(frame, AeronProtocol.StatusMessageLength, flags, AeronFrameType.StatusMessage);
        BinaryPrimitives.WriteInt32LittleEndian(frame[8..], sessionId);
        BinaryPrimitives.WriteInt32LittleEndian(frame[12..], streamId);
        BinaryPrimitives.WriteInt32LittleEndian(frame[16..], consumptionTermId);
        BinaryPrimitives.WriteInt32LittleEndian(frame[20..], consumptionTermOffset);
        BinaryPrimitives.WriteInt32LittleEndian(frame[24..], receiverWindow);
        BinaryPrimitives.WriteInt64LittleEndian(frame[28..], receiverId);
        return AeronProtocol.StatusMessageLength;
    }
}
