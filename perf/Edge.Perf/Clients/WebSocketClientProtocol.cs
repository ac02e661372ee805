using System.Buffers.Binary;
using System.Text;
using Edge.Perf.Feed;
using Edge.Protocol.WebSockets;

namespace Edge.Perf.Clients;

/// <summary>
/// The least WebSocket a load client needs (RFC 6455): one upgrade request, masked client frames for the
/// subscribe command, and unmasked server frames read just far enough for a price's symbol, timestamp and
/// sequence (MessagePack, subprotocol edge.v1.msgpack). Everything else is skipped.
/// </summary>
internal static class WebSocketClientProtocol
{
    private static ReadOnlySpan<byte> TypeKey => [0xa4, (byte)'t', (byte)'y', (byte)'p', (byte)'e'];

    private static ReadOnlySpan<byte> SymbolKey => [0xa6, (byte)'s', (byte)'y', (byte)'m', (byte)'b', (byte)'o', (byte)'l'];

    private static ReadOnlySpan<byte> TimestampKey => [0xa9, (byte)'t', (byte)'i', (byte)'m', (byte)'e', (byte)'s', (byte)'t', (byte)'a', (byte)'m', (byte)'p'];

    private static ReadOnlySpan<byte> SequenceKey => [0xa8, (byte)'s', (byte)'e', (byte)'q', (byte)'u', (byte)'e', (byte)'n', (byte)'c', (byte)'e'];

    private static ReadOnlySpan<byte> EmptyErrors => [0xa6, (byte)'e', (byte)'r', (byte)'r', (byte)'o', (byte)'r', (byte)'s', 0x90];

    public static byte[] UpgradeRequest(string hostAndPort, string path, string token) => Encoding.ASCII.GetBytes(
        $"GET {path} HTTP/1.1\r\nHost: {hostAndPort}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
        $"Sec-WebSocket-Protocol: edge.v1.msgpack\r\nAuthorization: Bearer {token}\r\n\r\n");

    /// <summary>A masked binary frame holding <c>{"type":"subscribe","id":1,"symbols":[...]}</c> in MessagePack.</summary>
    public static byte[] SubscribeFrame(int[] symbols, Random random)
    {
        var payload = new List<byte> { 0x83 };
        AddString(payload, "type");
        AddString(payload, "subscribe");
        AddString(payload, "id");
        payload.Add(0x01);
        AddString(payload, "symbols");
        if (symbols.Length < 16)
        {
            payload.Add((byte)(0x90 | symbols.Length));
        }
        else
        {
            payload.Add(0xdc);
            payload.Add((byte)(symbols.Length >> 8));
            payload.Add((byte)symbols.Length);
        }

        foreach (var symbol in symbols)
        {
            AddString(payload, PriceFeed.SymbolName(symbol));
        }

        return MaskedFrame((byte)WebSocketOpcode.Binary, payload.ToArray(), random);
    }

    public static byte[] MaskedFrame(byte opcode, ReadOnlySpan<byte> payload, Random random)
    {
        var headerLength = payload.Length < 126 ? 2 : 4;
        var frame = new byte[headerLength + 4 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        if (payload.Length < 126)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }

        var mask = frame.AsSpan(headerLength, 4);
        random.NextBytes(mask);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[headerLength + 4 + i] = (byte)(payload[i] ^ mask[i & 3]);
        }

        return frame;
    }

    /// <summary>Finds the end of an HTTP response head; returns its length (0: incomplete) and the status code.</summary>
    public static int ResponseHead(ReadOnlySpan<byte> data, out int status)
    {
        status = 0;
        var end = data.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            return 0;
        }

        // "HTTP/1.1 101 ..."
        if (end >= 12 && data[9] is >= (byte)'0' and <= (byte)'9')
        {
            status = ((data[9] - '0') * 100) + ((data[10] - '0') * 10) + (data[11] - '0');
        }

        return end + 4;
    }

    /// <summary>Reads one server frame header. Returns the total frame length, or 0 when more bytes are needed.</summary>
    public static long FrameLength(ReadOnlySpan<byte> data, out int headerLength, out byte opcode)
    {
        headerLength = 0;
        opcode = 0;
        if (data.Length < 2)
        {
            return 0;
        }

        opcode = (byte)(data[0] & 0x0F);
        long length = data[1] & 0x7F;
        headerLength = 2;
        if (length == 126)
        {
            if (data.Length < 4)
            {
                return 0;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
            headerLength = 4;
        }
        else if (length == 127)
        {
            if (data.Length < 10)
            {
                return 0;
            }

            length = (long)BinaryPrimitives.ReadUInt64BigEndian(data[2..]);
            headerLength = 10;
        }

        return headerLength + length;
    }

    /// <summary>Classifies a MessagePack server message; for a price, reads symbol, timestamp and sequence.</summary>
    public static ServerMessageKind Read(ReadOnlySpan<byte> payload, out PriceFields price)
    {
        price = default;
        // fixmap, "type", fixstr type name
        if (payload.Length < 8 || (payload[0] & 0xF0) != 0x80 || !payload[1..].StartsWith(TypeKey))
        {
            return ServerMessageKind.Malformed;
        }

        var typeLength = payload[6] & 0x1F;
        if ((payload[6] & 0xE0) != 0xA0 || payload.Length < 7 + typeLength)
        {
            return ServerMessageKind.Malformed;
        }

        var type = payload.Slice(7, typeLength);
        var rest = payload[(7 + typeLength)..];
        if (type.SequenceEqual("price"u8))
        {
            return ReadPrice(rest, ref price) ? ServerMessageKind.Price : ServerMessageKind.Malformed;
        }

        if (type.SequenceEqual("ack"u8))
        {
            // An ack lists refused symbols under "errors"; an empty array (0x90) means all were subscribed.
            var errors = rest.IndexOf(EmptyErrors[..^1]);
            return errors < 0 || (errors + EmptyErrors.Length - 1 < rest.Length && rest[errors + EmptyErrors.Length - 1] == 0x90) ? ServerMessageKind.Ack : ServerMessageKind.AckWithErrors;
        }

        if (type.SequenceEqual("snapshot"u8))
        {
            return ServerMessageKind.Snapshot;
        }

        return type.SequenceEqual("error"u8) ? ServerMessageKind.Error : ServerMessageKind.Other;
    }

    /// <summary>Reads "S&lt;digits&gt;" as a symbol index (the tool's own symbol names).</summary>
    public static int SymbolIndex(ReadOnlySpan<byte> name)
    {
        if (name.Length < 2 || name[0] != (byte)'S')
        {
            return -1;
        }

        var value = 0;
        for (var i = 1; i < name.Length; i++)
        {
            var digit = name[i] - '0';
            if ((uint)digit > 9)
            {
                return -1;
            }

            value = (value * 10) + digit;
        }

        return value;
    }

    private static bool ReadPrice(ReadOnlySpan<byte> rest, ref PriceFields price)
    {
        if (!rest.StartsWith(SymbolKey) || rest.Length < SymbolKey.Length + 2)
        {
            return false;
        }

        var header = rest[SymbolKey.Length];
        if ((header & 0xE0) != 0xA0)
        {
            return false;
        }

        var nameLength = header & 0x1F;
        price.Symbol = SymbolIndex(rest.Slice(SymbolKey.Length + 1, Math.Min(nameLength, rest.Length - SymbolKey.Length - 1)));
        var at = rest.IndexOf(TimestampKey);
        if (at < 0 || rest.Length < at + TimestampKey.Length + 9)
        {
            return false;
        }

        var value = rest[(at + TimestampKey.Length)..];
        if (value[0] is not (0xcf or 0xd3))
        {
            return false;
        }

        price.Timestamp = BinaryPrimitives.ReadInt64BigEndian(value[1..]);
        value = value[9..];
        if (!value.StartsWith(SequenceKey) || value.Length <= SequenceKey.Length)
        {
            return false;
        }

        value = value[SequenceKey.Length..];
        switch (value[0])
        {
            case < 0x80:
                price.Sequence = value[0];
                return true;
            case 0xcc when value.Length >= 2:
                price.Sequence = value[1];
                return true;
            case 0xcd when value.Length >= 3:
                price.Sequence = BinaryPrimitives.ReadUInt16BigEndian(value[1..]);
                return true;
            case 0xce when value.Length >= 5:
                price.Sequence = BinaryPrimitives.ReadUInt32BigEndian(value[1..]);
                return true;
            case 0xcf when value.Length >= 9:
                price.Sequence = BinaryPrimitives.ReadUInt64BigEndian(value[1..]);
                return true;
            default:
                return false;
        }
    }

    private static void AddString(List<byte> output, string value)
    {
        output.Add((byte)(0xA0 | value.Length));
        output.AddRange(Encoding.ASCII.GetBytes(value));
    }
}
