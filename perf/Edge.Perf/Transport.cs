namespace Edge.Perf;

/// <summary>How the tool's clients read prices.</summary>
internal enum Transport
{
    /// <summary>WebSocket, subprotocol edge.v1.msgpack.</summary>
    WebSocket,

    /// <summary>Server-sent events: GET /market-data/stream, JSON price objects.</summary>
    Sse,
}
