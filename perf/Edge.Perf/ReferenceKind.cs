namespace Edge.Perf;

/// <summary>Which reference server a run measures Edge against (<c>--against</c>).</summary>
internal enum ReferenceKind
{
    /// <summary>perf/reference-server: the C epoll fan-out floor, WebSocket with Edge's MessagePack frames.</summary>
    CServer,

    /// <summary>perf/socketio-reference: the original stack, a socket.io 4 server on Node (socket.io transport).</summary>
    SocketIoNode,
}
