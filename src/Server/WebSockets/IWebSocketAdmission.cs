namespace Edge.Server.WebSockets;

/// <summary>
/// Decides whether a WebSocket handshake becomes a connection: a refusal (HTTP status and JSON error) or an
/// acceptance carrying the per-connection state and the application handler to put behind the codec.
/// <para>
/// Called on the connection's event loop, after the RFC 6455 checks and the subprotocol choice, before the 101 is
/// written. It must not block: CPU-bound checks of a few microseconds, such as a token validation
/// (JwtValidationBenchmarks in docs/performance.md), are fine. It should not throw; if it does, the client gets 500
/// and the connection is closed.
/// </para>
/// </summary>
public interface IWebSocketAdmission
{
    WebSocketAdmissionDecision Admit(WebSocketAdmissionRequest request);
}
