namespace Edge.Protocol.SocketIo;

/// <summary>socket.io v5 packet types: the character after an Engine.IO message's <c>4</c> (<c>'0'</c> + the value).</summary>
public enum SocketIoPacketType : byte
{
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6,
}
