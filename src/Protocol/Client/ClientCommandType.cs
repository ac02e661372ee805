namespace Edge.Protocol.Client;

/// <summary>The <c>type</c> of a client-to-server message.</summary>
public enum ClientCommandType : byte
{
    Subscribe = 1,
    Unsubscribe,
    Ping,
    Auth,
}
