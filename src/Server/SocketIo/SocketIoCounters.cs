using Edge.Server.Metrics;

namespace Edge.Server.SocketIo;

/// <summary>The socket.io transport's series at /metrics (<c>edge_socketio_*</c>); sessions also count in <c>edge_sessions</c>.</summary>
public sealed class SocketIoCounters
{
    public SocketIoCounters(MetricsRegistry metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        Connections = metrics.Gauge("edge_socketio_connections", "Engine.IO connections open now (joined the namespace or not).");
        Connects = metrics.Counter("edge_socketio_connects_total", "socket.io CONNECTs to /market-data accepted.");
        ConnectErrors = metrics.Counter("edge_socketio_connect_errors_total", "socket.io CONNECTs refused (token, quota, namespace).");
        ProtocolErrors = metrics.Counter("edge_socketio_protocol_errors_total", "Connections closed for a malformed, binary or oversized packet.");
        PingTimeouts = metrics.Counter("edge_socketio_ping_timeouts_total", "Connections closed for not answering a ping in pingTimeout.");
    }

    public Gauge Connections { get; }

    public Counter Connects { get; }

    public Counter ConnectErrors { get; }

    public Counter ProtocolErrors { get; }

    public Counter PingTimeouts { get; }
}
