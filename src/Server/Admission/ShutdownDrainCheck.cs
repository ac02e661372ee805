using Edge.Server.Auth;
using Edge.Server.Hosting;
using Edge.Server.WebSockets;

namespace Edge.Server.Admission;

/// <summary>
/// Refuses market-data handshakes with 503 <c>SHUTTING_DOWN</c> once the server drains for shutdown: the listener is
/// closed by then, but a connection accepted earlier (an HTTP keep-alive one) may still ask for an upgrade.
/// </summary>
public sealed class ShutdownDrainCheck : IWebSocketAdmissionCheck
{
    public static readonly WebSocketRefusal ShuttingDown = new(
        503, "SHUTTING_DOWN", "the server is shutting down; reconnect", [new KeyValuePair<string, string>("Retry-After", "1")]);

    private readonly HealthState _health;

    public ShutdownDrainCheck(HealthState health)
    {
        _health = health;
    }

    public WebSocketRefusal? Check(WebSocketAdmissionRequest request, ClientIdentity identity, out IDisposable? lease)
    {
        lease = null;
        return _health.Draining ? ShuttingDown : null;
    }
}
