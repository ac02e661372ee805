using System.Buffers.Binary;

namespace Edge.Protocol.WebSockets;

/// <summary>
/// RFC 6455 §5.2 frame header layout, both directions, as pure span functions. Payload lengths use
/// the minimal form (7-bit up to 125, 16-bit up to 65535, else 64-bit), as the RFC requires.
/// </summary>
public static class WebSocketFrame
{
    /// <summary>Largest header a server writes: 2 bytes plus a 64-bit length, no mask.</summary>
    public const int MaxServerHeaderLength = 10;

    /// <summary>Largest header at all: 2 bytes, a 64-bit length and a 4-byte mask key.</summary>
    public const int MaxHeaderLength = 14;

    /// <summary>Largest payload of a close, ping or pong frame.</summary>
    public const int MaxControlPayloadLength = 125;

    private const byte FinBit = 0x80;
    private const byte ReservedBits = 0x70;
    private const byte OpcodeBits = 0x0F;
    private const byte MaskBit = 0x80;
    private const byte Length7Bits = 0x7F;
    private const byte Length16Marker = 126;
    private const byte Length64Marker = 127;

    /// <summary>Header length for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int GetHeaderLength(long payloadLength, bool masked = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        var length = payloadLength <= 125 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10;
        return masked ? length + 4 : length;
    }

    /// <summary>Writes an unmasked (server) frame header; returns its length (2, 4 or 10).</summary>
    public static int WriteHeader(Span<byte> destination, WebSocketOpcode opcode, long payloadLength, bool fin = true) =>
        Write(destination, opcode, payloadLength, fin, masked: false, maskKey: 0);

    /// <summary>
    /// Writes a masked (client) frame header with <paramref name="maskKey"/> (the 4 key bytes in wire
    /// order, big-endian); returns its length (6, 8 or 14). Mask the payload with <see cref="WebSocketMask.Apply"/>.
    /// </summary>
    public static int WriteMaskedHeader(Span<byte> destination, WebSocketOpcode opcode, long payloadLength, uint maskKey, bool fin = true) =>
        Write(destination, opcode, payloadLength, fin, masked: true, maskKey);

    /// <summary>
    /// Parses a frame header at the start of <paramref name="buffer"/>. Never throws. A server
    /// passes <paramref name="expectMasked"/> = true (client frames must be masked), a client false.
    /// </summary>
    public static WebSocketFrameHeaderStatus TryReadHeader(
        ReadOnlySpan<byte> buffer, bool expectMasked, out WebSocketFrameHeader header)
    {
        header = default;
        if (buffer.Length < 2)
        {
            return WebSocketFrameHeaderStatus.Incomplete;
        }

        var first = buffer[0];
        var second = buffer[1];
        var fin = (first & FinBit) != 0;
        var opcode = (WebSocketOpcode)(first & OpcodeBits);
        var masked = (second & MaskBit) != 0;
        var length7 = second & Length7Bits;

        if ((first & ReservedBits) != 0)
        {
            return WebSocketFrameHeaderStatus.ReservedBitsSet;
        }

        var isControl = ((byte)opcode & 0x8) != 0;
        if (opcode is not (WebSocketOpcode.Continuation or WebSocketOpcode.Text or WebSocketOpcode.Binary
            or WebSocketOpcode.Close or WebSocketOpcode.Ping or WebSocketOpcode.Pong))
        {
            return WebSocketFrameHeaderStatus.ReservedOpcode;
        }

        if (isControl && !fin)
        {
            return WebSocketFrameHeaderStatus.FragmentedControlFrame;
        }

        if (isControl && length7 > MaxControlPayloadLength)
        {
            return WebSocketFrameHeaderStatus.ControlFrameTooLong;
        }

        if (masked != expectMasked)
        {
            return expectMasked ? WebSocketFrameHeaderStatus.MaskRequired : WebSocketFrameHeaderStatus.UnexpectedMask;
        }

        var extendedLength = length7 == Length16Marker ? 2 : length7 == Length64Marker ? 8 : 0;
        var headerLength = 2 + extendedLength + (masked ? 4 : 0);
        if (buffer.Length < headerLength)
        {
            return WebSocketFrameHeaderStatus.Incomplete;
        }

        long payloadLength = length7;
        if (extendedLength == 2)
        {
            payloadLength = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
            if (payloadLength < Length16Marker)
            {
                return WebSocketFrameHeaderStatus.NonMinimalLength;
            }
        }
        else if (extendedLength == 8)
        {
            var raw = BinaryPrimitives.ReadUInt64BigEndian(buffer[2..]);
            if ((raw & 0x8000_0000_0000_0000UL) != 0)
            {
                return WebSocketFrameHeaderStatus.LengthTooLarge;
            }

            if (raw <= ushort.MaxValue)
            {
                return WebSocketFrameHeaderStatus.NonMinimalLength;
            }

            payloadLength = (long)raw;
        }

        var maskKey = masked ? BinaryPrimitives.ReadUInt32BigEndian(buffer[(2 + extendedLength)..]) : 0u;
        header = new WebSocketFrameHeader(fin, opcode, masked, maskKey, payloadLength, headerLength);
        return WebSocketFrameHeaderStatus.Ok;
    }

    private static int Write(Span<byte> destination, WebSocketOpcode opcode, long payloadLength, bool fin, bool masked, uint maskKey)
    {
        var headerLength = GetHeaderLength(payloadLength, masked);
        if (destination.Length < headerLength)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes, the header needs {headerLength}", nameof(destination));
        }

        destination[0] = (byte)((fin ? FinBit : 0) | ((byte)opcode & OpcodeBits));
        var maskBit = masked ? MaskBit : (byte)0;
        int position;
        if (payloadLength <= 125)
        {
            destination[1] = (byte)(maskBit | (byte)payloadLength);
            position = 2;
        }
        else if (payloadLength <= ushort.MaxValue)
        {
            destination[1] = (byte)(maskBit | Length16Marker);
            BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
            position = 4;
        }
        else
        {
            destination[1] = (byte)(maskBit | Length64Marker);
            BinaryPrimitives.WriteUInt64BigEndian(destination[2..], (ulong)payloadLength);
            position = 10;
        }

        if (masked)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[position..], maskKey);
            position += 4;
        }

        return position;
    }
}
