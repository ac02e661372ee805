using Edge.Server.Http;

namespace Edge.Server.WebSockets;

/// <summary>
/// Implemented by an <see cref="IWebSocketAdmission"/> whose protocol answers some requests to its path before the
/// RFC 6455 checks (Engine.IO answers a long-polling request or a wrong protocol version with its own error JSON).
/// </summary>
public interface IWebSocketRequestFilter
{
    /// <summary>The refusal for <paramref name="request"/>, or null to go on with the WebSocket handshake.</summary>
    WebSocketRefusal? Filter(HttpRequestHead request);
}
