namespace Edge.Protocol.WebSockets;

/// <summary>What a client should do after the server closed with a given code (docs/protocol.md, "Close codes").</summary>
public enum ReconnectAdvice : byte
{
    /// <summary>Do not reconnect automatically: the client or its credentials must change first.</summary>
    DoNotReconnect = 0,

    /// <summary>Reconnect with the usual jittered backoff (server restart, transient failure).</summary>
    Reconnect,

    /// <summary>Obtain a fresh token, then reconnect.</summary>
    RefreshTokenThenReconnect,
}
