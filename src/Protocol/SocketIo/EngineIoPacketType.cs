namespace Edge.Protocol.SocketIo;

/// <summary>Engine.IO v4 packet types: the first character of every text packet (<c>'0'</c> + the value).</summary>
public enum EngineIoPacketType : byte
{
    Open = 0,
    Close = 1,
    Ping = 2,
    Pong = 3,
    Message = 4,
    Upgrade = 5,
    Noop = 6,
}
