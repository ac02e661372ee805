namespace Edge.Protocol.SocketIo;

/// <summary>
/// One parsed text packet: its Engine.IO type and, for a message, the socket.io packet inside it. Spans point into the
/// parsed text (nothing is copied); the JSON data is not validated here, only located.
/// </summary>
public readonly ref struct SocketIoPacket
{
    public SocketIoPacket(EngineIoPacketType engineType, SocketIoPacketType type, ReadOnlySpan<byte> @namespace, long ackId, ReadOnlySpan<byte> data)
    {
        EngineType = engineType;
        Type = type;
        Namespace = @namespace;
        AckId = ackId;
        Data = data;
    }

    public EngineIoPacketType EngineType { get; }

    /// <summary>The socket.io type; meaningful only when <see cref="EngineType"/> is <see cref="EngineIoPacketType.Message"/>.</summary>
    public SocketIoPacketType Type { get; }

    /// <summary>The namespace, <c>/</c> when the packet names none.</summary>
    public ReadOnlySpan<byte> Namespace { get; }

    /// <summary>The ack id the client asked for (EVENT) or answers (ACK); -1 when none.</summary>
    public long AckId { get; }

    /// <summary>The JSON data (socket.io) or the rest of the packet (Engine.IO, e.g. a ping's <c>probe</c>); may be empty.</summary>
    public ReadOnlySpan<byte> Data { get; }
}
