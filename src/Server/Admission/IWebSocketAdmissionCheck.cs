using Edge.Server.Auth;
using Edge.Server.WebSockets;

namespace Edge.Server.Admission;

/// <summary>
/// One more rule <see cref="EdgeWebSocketAdmission"/> applies after authentication, in the order given: the seam for
/// per-tenant and per-IP connection quotas, tenant switches and the like. Runs on the event loop; must not block.
/// </summary>
public interface IWebSocketAdmissionCheck
{
    /// <summary>
    /// Returns null to let the connection through, or the refusal to answer with (e.g. 429 <c>TOO_MANY_CONNECTIONS</c>).
    /// A check that counts something (a quota slot) returns a <paramref name="lease"/>: it is disposed when the
    /// connection ends, or at once if a later check refuses the handshake. A refusing check returns no lease.
    /// </summary>
    WebSocketRefusal? Check(WebSocketAdmissionRequest request, ClientIdentity identity, out IDisposable? lease);
}
