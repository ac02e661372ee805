using System.Collections.Concurrent;
using System.Globalization;
using Edge.Protocol.WebSockets;
using Edge.Server.Metrics;

namespace Edge.Server.WebSockets;

/// <summary>
/// The transport's metrics, registered once per server: handshakes accepted and refused (by status and reason),
/// protocol errors by close code, messages and payload bytes in, handshake timeouts, closes by side.
/// </summary>
public sealed class WebSocketCounters
{
    private readonly MetricsRegistry _registry;
    private readonly ConcurrentDictionary<(int Status, string Reason), Counter> _refused = new();
    private readonly ConcurrentDictionary<string, Counter> _accepted = new(StringComparer.Ordinal);
    private readonly Counter _protocolError;
    private readonly Counter _invalidPayload;
    private readonly Counter _messageTooBig;

    public WebSocketCounters(MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        const string ErrorName = "edge_ws_protocol_errors_total";
        const string ErrorHelp = "WebSocket connections failed by the server, by the close code sent.";
        _protocolError = registry.Counter(ErrorName, ErrorHelp, CodeLabel(WebSocketCloseCode.ProtocolError));
        _invalidPayload = registry.Counter(ErrorName, ErrorHelp, CodeLabel(WebSocketCloseCode.InvalidPayloadData));
        _messageTooBig = registry.Counter(ErrorName, ErrorHelp, CodeLabel(WebSocketCloseCode.MessageTooBig));
        MessagesIn = registry.Counter("edge_ws_messages_in_total", "Complete WebSocket messages received from clients (text and binary).");
        BytesIn = registry.Counter("edge_ws_bytes_in_total", "Payload bytes of the WebSocket messages received from clients.");
        HandshakeTimeouts = registry.Counter("edge_http_handshake_timeouts_total", "Connections closed for not completing an HTTP request head in time.");
        ClientCloses = registry.Counter("edge_ws_closes_total", "WebSocket close handshakes, by the side that started them.", "initiator=\"client\"");
        ServerCloses = registry.Counter("edge_ws_closes_total", "WebSocket close handshakes, by the side that started them.", "initiator=\"server\"");
        CloseTimeouts = registry.Counter("edge_ws_close_timeouts_total", "Server-initiated closes whose client never answered with a close frame in time.");
    }

    public Counter MessagesIn { get; }

    public Counter BytesIn { get; }

    public Counter HandshakeTimeouts { get; }

    public Counter ClientCloses { get; }

    public Counter ServerCloses { get; }

    public Counter CloseTimeouts { get; }

    /// <summary>Counts a connection failed with <paramref name="closeCode"/> (1002, 1007 or 1009).</summary>
    public void ProtocolError(ushort closeCode)
    {
        var counter = closeCode switch
        {
            WebSocketCloseCode.InvalidPayloadData => _invalidPayload,
            WebSocketCloseCode.MessageTooBig => _messageTooBig,
            _ => _protocolError,
        };
        counter.Increment();
    }

    public long ProtocolErrors(ushort closeCode) => closeCode switch
    {
        WebSocketCloseCode.InvalidPayloadData => _invalidPayload.Value,
        WebSocketCloseCode.MessageTooBig => _messageTooBig.Value,
        WebSocketCloseCode.ProtocolError => _protocolError.Value,
        _ => 0,
    };

    /// <summary>Counts an accepted handshake on the endpoint named <paramref name="endpoint"/>.</summary>
    public void Accepted(string endpoint) =>
        _accepted.GetOrAdd(endpoint, static (name, registry) =>
            registry.Counter("edge_ws_handshakes_accepted_total", "WebSocket handshakes answered with 101, by endpoint.", MetricLabels.Of("endpoint", name)), _registry)
        .Increment();

    /// <summary>
    /// Counts a refused handshake. <paramref name="reason"/> must come from a small fixed set (error codes such as
    /// <c>TOKEN_EXPIRED</c>), never from the request, or the label set would grow without bound.
    /// </summary>
    public void Refused(int status, string reason) =>
        _refused.GetOrAdd((status, reason), static (key, registry) =>
            registry.Counter(
                "edge_ws_handshakes_refused_total",
                "WebSocket handshakes refused, by HTTP status and reason code.",
                MetricLabels.Of("status", key.Status.ToString(CultureInfo.InvariantCulture), "reason", key.Reason)), _registry)
        .Increment();

    private static string CodeLabel(ushort code) => MetricLabels.Of("code", code.ToString(CultureInfo.InvariantCulture));
}
