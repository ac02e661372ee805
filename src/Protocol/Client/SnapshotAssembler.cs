using Edge.Protocol.WebSockets;

namespace Edge.Protocol.Client;

/// <summary>
/// Builds a <c>snapshot</c> frame from the payloads of cached <c>price</c> frames, by copying:
/// a snapshot is <c>{type:"snapshot", prices:[p1, p2, ...]}</c> where each p is a price payload
/// exactly as it was sent, so nothing is re-encoded. Either call <see cref="Encode"/> with the
/// payloads, or stream: <see cref="WriteStart"/>, then per price <see cref="WriteSeparator"/> and
/// a copy of its payload, then <see cref="WriteEnd"/>.
/// </summary>
public static class SnapshotAssembler
{
    // MessagePack {"type":"snapshot","prices": (map of 2, then the array header follows).
    private static ReadOnlySpan<byte> MessagePackPrefix =>
        [0x82, 0xA4, 0x74, 0x79, 0x70, 0x65, 0xA8, 0x73, 0x6E, 0x61, 0x70, 0x73, 0x68, 0x6F, 0x74, 0xA6, 0x70, 0x72, 0x69, 0x63, 0x65, 0x73];

    private static ReadOnlySpan<byte> JsonPrefix => """{"type":"snapshot","prices":["""u8;

    private static ReadOnlySpan<byte> JsonSuffix => "]}"u8;

    /// <summary>The payload of a cached server frame (the bytes after its header).</summary>
    public static ReadOnlySpan<byte> PayloadOf(ReadOnlySpan<byte> frame)
    {
        if (WebSocketFrame.TryReadHeader(frame, expectMasked: false, out var header) != WebSocketFrameHeaderStatus.Ok
            || header.FrameLength != frame.Length)
        {
            throw new ArgumentException("not one complete unmasked frame", nameof(frame));
        }

        return frame[header.HeaderLength..];
    }

    /// <summary>Payload length of a snapshot of <paramref name="count"/> prices whose payloads total <paramref name="pricePayloadBytes"/>.</summary>
    public static int GetPayloadLength(ClientEncoding encoding, int count, int pricePayloadBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return encoding == ClientEncoding.Json
            ? JsonPrefix.Length + pricePayloadBytes + Math.Max(0, count - 1) + JsonSuffix.Length
            : MessagePackPrefix.Length + ArrayHeaderLength(count) + pricePayloadBytes;
    }

    /// <summary>Whole frame length (header included).</summary>
    public static int GetFrameLength(ClientEncoding encoding, int count, int pricePayloadBytes)
    {
        var payload = GetPayloadLength(encoding, count, pricePayloadBytes);
        return WebSocketFrame.GetHeaderLength(payload) + payload;
    }

    /// <summary>Writes the frame header and the snapshot's opening bytes; returns the bytes written.</summary>
    public static int WriteStart(Span<byte> destination, ClientEncoding encoding, int count, int pricePayloadBytes)
    {
        var payloadLength = GetPayloadLength(encoding, count, pricePayloadBytes);
        var position = WebSocketFrame.WriteHeader(
            destination, encoding == ClientEncoding.Json ? WebSocketOpcode.Text : WebSocketOpcode.Binary, payloadLength);
        if (encoding == ClientEncoding.Json)
        {
            JsonPrefix.CopyTo(destination[position..]);
            return position + JsonPrefix.Length;
        }

        MessagePackPrefix.CopyTo(destination[position..]);
        position += MessagePackPrefix.Length;
        return position + WriteArrayHeader(destination[position..], count);
    }

    /// <summary>Writes what goes before price number <paramref name="index"/> (a comma in JSON, nothing in MessagePack).</summary>
    public static int WriteSeparator(Span<byte> destination, ClientEncoding encoding, int index)
    {
        if (encoding != ClientEncoding.Json || index == 0)
        {
            return 0;
        }

        destination[0] = (byte)',';
        return 1;
    }

    /// <summary>Writes the snapshot's closing bytes (JSON <c>]}</c>; nothing in MessagePack).</summary>
    public static int WriteEnd(Span<byte> destination, ClientEncoding encoding)
    {
        if (encoding != ClientEncoding.Json)
        {
            return 0;
        }

        JsonSuffix.CopyTo(destination);
        return JsonSuffix.Length;
    }

    /// <summary>Encodes a whole snapshot frame from price payloads (see <see cref="PayloadOf"/>); returns the frame length.</summary>
    public static int Encode(Span<byte> destination, ClientEncoding encoding, ReadOnlySpan<ReadOnlyMemory<byte>> pricePayloads)
    {
        var total = 0;
        foreach (var payload in pricePayloads)
        {
            total += payload.Length;
        }

        var frameLength = GetFrameLength(encoding, pricePayloads.Length, total);
        if (destination.Length < frameLength)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes, the frame needs {frameLength}", nameof(destination));
        }

        var position = WriteStart(destination, encoding, pricePayloads.Length, total);
        for (var i = 0; i < pricePayloads.Length; i++)
        {
            position += WriteSeparator(destination[position..], encoding, i);
            pricePayloads[i].Span.CopyTo(destination[position..]);
            position += pricePayloads[i].Length;
        }

        return position + WriteEnd(destination[position..], encoding);
    }

    private static int ArrayHeaderLength(int count) => count <= 15 ? 1 : count <= ushort.MaxValue ? 3 : 5;

    private static int WriteArrayHeader(Span<byte> destination, int count)
    {
        if (count <= 15)
        {
            destination[0] = (byte)(0x90 | count);
            return 1;
        }

        if (count <= ushort.MaxValue)
        {
            destination[0] = 0xdc;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)count);
            return 3;
        }

        destination[0] = 0xdd;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)count);
        return 5;
    }
}
