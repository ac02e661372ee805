using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;

namespace Edge.Protocol.WebSockets;

/// <summary>RFC 6455 §5.5.1 close frame payload: a big-endian uint16 code then a UTF-8 reason of at most 123 bytes.</summary>
public static class WebSocketClosePayload
{
    /// <summary>Longest reason that fits a control frame with its 2-byte code.</summary>
    public const int MaxReasonBytes = 123;

    /// <summary>
    /// Writes code and reason; a reason longer than 123 UTF-8 bytes is cut at the last whole
    /// character that fits. Returns the payload length (2..125).
    /// </summary>
    public static int Write(Span<byte> destination, ushort code, ReadOnlySpan<char> reason)
    {
        if (!WebSocketCloseCode.IsValidOnWire(code))
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "not a close code that may be sent");
        }

        if (destination.Length < 2)
        {
            throw new ArgumentException("destination holds fewer than 2 bytes", nameof(destination));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, code);
        var room = destination[2..];
        if (room.Length > MaxReasonBytes)
        {
            room = room[..MaxReasonBytes];
        }

        // FromUtf16 stops at the last whole character that fits (DestinationTooSmall), which is what we want.
        var status = Utf8.FromUtf16(reason, room, out _, out var written, replaceInvalidSequences: true, isFinalBlock: true);
        if (status is not (OperationStatus.Done or OperationStatus.DestinationTooSmall))
        {
            written = 0;
        }

        return 2 + written;
    }

    /// <summary>Parses a received close payload. Never throws.</summary>
    public static WebSocketClosePayloadStatus TryRead(ReadOnlySpan<byte> payload, out ushort code, out ReadOnlySpan<byte> reason)
    {
        code = WebSocketCloseCode.NoStatusReceived;
        reason = default;
        if (payload.IsEmpty)
        {
            return WebSocketClosePayloadStatus.NoStatusCode;
        }

        if (payload.Length == 1)
        {
            return WebSocketClosePayloadStatus.Truncated;
        }

        if (payload.Length > WebSocketFrame.MaxControlPayloadLength)
        {
            return WebSocketClosePayloadStatus.TooLong;
        }

        code = BinaryPrimitives.ReadUInt16BigEndian(payload);
        if (!WebSocketCloseCode.IsValidOnWire(code))
        {
            return WebSocketClosePayloadStatus.InvalidCode;
        }

        if (!Utf8.IsValid(payload[2..]))
        {
            return WebSocketClosePayloadStatus.InvalidUtf8;
        }

        reason = payload[2..];
        return WebSocketClosePayloadStatus.Ok;
    }
}
