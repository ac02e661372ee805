namespace Edge.Protocol.SocketIo;

/// <summary>
/// Parses the text packets a socket.io 4 client sends over an Engine.IO v4 WebSocket: <c>&lt;engine type&gt;[data]</c>,
/// and for messages (<c>4</c>) the socket.io v5 encoding <c>&lt;type&gt;[/namespace,][ack id][JSON]</c>. Binary
/// attachments (types 5 and 6) are refused: Edge's events carry no binary data. Never throws, allocates nothing.
/// </summary>
public static class SocketIoPacketParser
{
    /// <summary>Longest ack id accepted (digits): 15 keeps it an exact JavaScript number.</summary>
    public const int MaxAckIdDigits = 15;

    public const string Empty = "empty packet";
    public const string UnknownEngineType = "unknown Engine.IO packet type";
    public const string MissingSocketType = "a message packet without a socket.io packet type";
    public const string UnknownSocketType = "unknown socket.io packet type";
    public const string BinaryNotSupported = "binary attachments are not supported";
    public const string AckIdTooLong = "ack id too long";

    /// <summary>Null when <paramref name="text"/> is a well-formed packet (then <paramref name="packet"/> holds it), else why not.</summary>
    public static string? Parse(ReadOnlySpan<byte> text, out SocketIoPacket packet)
    {
        packet = default;
        if (text.IsEmpty)
        {
            return Empty;
        }

        var engine = (uint)(text[0] - '0');
        if (engine > (uint)EngineIoPacketType.Noop)
        {
            return UnknownEngineType;
        }

        var engineType = (EngineIoPacketType)engine;
        if (engineType != EngineIoPacketType.Message)
        {
            packet = new SocketIoPacket(engineType, default, "/"u8, -1, text[1..]);
            return null;
        }

        if (text.Length < 2)
        {
            return MissingSocketType;
        }

        var socket = (uint)(text[1] - '0');
        if (socket > (uint)SocketIoPacketType.BinaryAck)
        {
            return UnknownSocketType;
        }

        var type = (SocketIoPacketType)socket;
        if (type is SocketIoPacketType.BinaryEvent or SocketIoPacketType.BinaryAck)
        {
            return BinaryNotSupported;
        }

        var position = 2;
        var ns = "/"u8;
        if (position < text.Length && text[position] == '/')
        {
            // The namespace runs to the first comma (or the end), as socket.io-parser reads it.
            var comma = text[position..].IndexOf((byte)',');
            var end = comma < 0 ? text.Length : position + comma;
            ns = text[position..end];
            position = comma < 0 ? text.Length : end + 1;
        }

        long ackId = -1;
        var digits = 0;
        while (position + digits < text.Length && (uint)(text[position + digits] - '0') <= 9)
        {
            digits++;
        }

        if (digits > MaxAckIdDigits)
        {
            return AckIdTooLong;
        }

        if (digits > 0)
        {
            ackId = 0;
            for (var i = 0; i < digits; i++)
            {
                ackId = (ackId * 10) + (text[position + i] - '0');
            }

            position += digits;
        }

        packet = new SocketIoPacket(engineType, type, ns, ackId, text[position..]);
        return null;
    }
}
