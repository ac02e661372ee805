namespace Edge.Protocol.Client;

/// <summary>The <c>type</c> of a server-to-client message.</summary>
public enum ServerMessageType : byte
{
    Connected = 1,
    Ack,
    Error,
    Price,
    Snapshot,
    Heartbeat,
    Pong,
    Status,
    Notice,
}
