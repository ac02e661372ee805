namespace Edge.Perf;

/// <summary>How the tool's clients read prices.</summary>
internal enum Transport
{
    /// <summary>WebSocket, subprotocol edge.v1.msgpack.</summary>
    WebSocket,

    /// <summary>Server-sent events: GET /market-data/stream, JSON price objects.</summary>
    Sse,

    /// <summary>socket.io v5 over Engine.IO v4 WebSocket at /socket.io/, namespace /market-data (the original gateway's protocol).</summary>
    SocketIo,
}
