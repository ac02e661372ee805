using System.Buffers.Binary;

namespace Edge.Protocol.Aeron;

/// <summary>
/// ERR, a 40-byte header plus text: 8 session_id, 12 stream_id, 16 receiver_id (int64), 24 group_tag (int64,
/// valid when flag 0x08 is set), 32 error_code, 36 error_length, 40 text (at most 1023 bytes).
/// </summary>
public readonly ref struct ErrorFlyweight
{
    private readonly ReadOnlySpan<byte> _buffer;

    /// <summary>Wraps a frame of at least 40 bytes; throws if it is shorter (check first).</summary>
    public ErrorFlyweight(ReadOnlySpan<byte> frame)
    {
        _ = frame[..AeronProtocol.ErrorHeaderLength];
        _buffer = frame;
    }

    /// <summary>frame_length, version, flags and type.</summary>
    public FrameHeaderFlyweight Header => new(_buffer);

    public int SessionId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[8..]);

    public int StreamId => BinaryPrimitives.ReadInt32LittleEndian(_buffer[12..]);

    public long ReceiverId => BinaryPrimitives.ReadInt64LittleEndian(_buffer[16..]);

    public long GroupTag => BinaryPrimitives.ReadInt64LittleEndian(_buffer[24..]);

    public int ErrorCode => BinaryPrimitives.ReadInt32LittleEndian(_buffer[32..]);

    public int ErrorLength => BinaryPrimitives.ReadInt32LittleEndian(_buffer[36..]);

    /// <summary>The error text bytes that are present, bounded by error_length, the frame and 1023 bytes.</summary>
    public ReadOnlySpan<byte> ErrorText
    {
        get
        {
            var available = _buffer.Length - AeronProtocol.ErrorHeaderLength;
            var length = Math.Min(Math.Min(Math.Max(ErrorLength, 0), available), AeronProtocol.MaxErrorTextLength);
            return _buffer.Slice(AeronProtocol.ErrorHeaderLength, length);
        }
    }

    /// <summary>Writes an ERR frame with <paramref name="text"/> (cut at 1023 bytes) and returns its length.</summary>
    public static int Encode(
        Span<byte> destination,
        int sessionId,
        int streamId,
        long receiverId,
        int errorCode,
        ReadOnlySpan<byte> text,
        long? groupTag = null)
    {
        var textLength = Math.Min(text.Length, AeronProtocol.MaxErrorTextLength);
        var length = AeronProtocol.ErrorHeaderLength + textLength;
        var frame = destination[..length];
        FrameHeaderFlyweight.Encode(frame, length, groupTag.HasValue ? AeronProtocol.ErrorGroupTagFlag : (byte)0, AeronFrameType.Error);
        BinaryPrimitives.WriteInt32LittleEndian(frame[8..], sessionId);
        BinaryPrimitives.WriteInt32LittleEndian(frame[12..], streamId);
        BinaryPrimitives.WriteInt64LittleEndian(frame[16..], receiverId);
        BinaryPrimitives.WriteInt64LittleEndian(frame[24..], groupTag ?? 0);
        BinaryPrimitives.WriteInt32LittleEndian(frame[32..], errorCode);
        BinaryPrimitives.WriteInt32LittleEndian(frame[36..], textLength);
        text[..textLength].CopyTo(frame[AeronProtocol.ErrorHeaderLength..]);
        return length;
    }
}
