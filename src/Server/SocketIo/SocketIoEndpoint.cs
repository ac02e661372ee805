using System.Text;
using Edge.Server.Admission;
using Edge.Server.Auth;
using Edge.Server.Http;
using Edge.Server.Sessions;
using Edge.Server.Tenants;
using Edge.Server.WebSockets;

namespace Edge.Server.SocketIo;

/// <summary>
/// The socket.io endpoint's policy. At the HTTP request it speaks Engine.IO: long-polling, another protocol version, a
/// session id (there are no polling sessions to resume) or a disallowed origin get Engine.IO's error JSON
/// (<c>{"code","message"}</c>, HTTP 400/403); a WebSocket upgrade is always accepted, because socket.io authenticates
/// per namespace: the token is checked at the CONNECT packet (<see cref="Authenticate"/>), where a refusal is a
/// CONNECT_ERROR the client's <c>connect_error</c> handler sees, not a failed upgrade it would retry forever.
/// </summary>
public sealed class SocketIoEndpoint : IWebSocketAdmission, IWebSocketRequestFilter
{
    /// <summary>Engine.IO's own error codes and texts (engine.io <c>Server.errors</c>).</summary>
    public static readonly WebSocketRefusal UnknownTransport = EngineIoError(400, 0, "Transport unknown");

    public static readonly WebSocketRefusal UnknownSession = EngineIoError(400, 1, "Session ID unknown");

    public static readonly WebSocketRefusal BadHandshakeMethod = EngineIoError(400, 2, "Bad handshake method");

    public static readonly WebSocketRefusal BadRequest = EngineIoError(400, 3, "Bad request");

    public static readonly WebSocketRefusal Forbidden = EngineIoError(403, 4, "Forbidden");

    public static readonly WebSocketRefusal UnsupportedProtocolVersion = EngineIoError(400, 5, "Unsupported protocol version");

    private readonly string[] _allowedOrigins;
    private readonly IWebSocketAdmissionCheck[] _checks;

    public SocketIoEndpoint(
        SocketIoOptions options,
        SessionServices sessions,
        TenantMetrics tenantMetrics,
        IReadOnlyList<string> allowedOrigins,
        IReadOnlyList<IWebSocketAdmissionCheck> checks,
        SocketIoCounters counters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(allowedOrigins);
        ArgumentNullException.ThrowIfNull(checks);
        Options = options;
        Sessions = sessions;
        TenantMetrics = tenantMetrics;
        Counters = counters;
        _allowedOrigins = [.. allowedOrigins];
        _checks = [.. checks];
    }

    public SocketIoOptions Options { get; }

    public SessionServices Sessions { get; }

    public TenantMetrics TenantMetrics { get; }

    public SocketIoCounters Counters { get; }

    /// <summary>Engine.IO's <c>maxPayload</c>: the largest packet a client may send (a command), in bytes.</summary>
    public int MaxPayload => Sessions.Options.MaxCommandBytes;

    public WebSocketRefusal? Filter(HttpRequestHead request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? eio = null;
        string? transport = null;
        var sid = false;
        foreach (var range in request.Query.AsSpan().Split('&'))
        {
            var pair = request.Query.AsSpan()[range];
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            var value = equals < 0 ? ReadOnlySpan<char>.Empty : pair[(equals + 1)..];
            if (name.SequenceEqual("EIO"))
            {
                eio = value.ToString();
            }
            else if (name.SequenceEqual("transport"))
            {
                transport = value.ToString();
            }
            else if (name.SequenceEqual("sid"))
            {
                sid = true;
            }
        }

        // engine.io's order: transport, then protocol version, then the session id, then the method.
        if (transport != "websocket")
        {
            return UnknownTransport;
        }

        if (eio != "4")
        {
            return UnsupportedProtocolVersion;
        }

        if (sid)
        {
            return UnknownSession;
        }

        if (request.Method != "GET")
        {
            return BadHandshakeMethod;
        }

        if (!WebSocketHandshake.IsUpgradeRequest(request))
        {
            return BadRequest;
        }

        return IsOriginAllowed(WebSocketHandshake.JoinedHeader(request, "Origin")) ? null : Forbidden;
    }

    public WebSocketAdmissionDecision Admit(WebSocketAdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WebSocketAdmissionDecision.Accept(new SocketIoSession(this, request));
    }

    /// <summary>
    /// Authenticates a CONNECT: the token is the <c>auth.token</c> of the packet or the one the upgrade request carried
    /// (query <c>token</c>, <c>Authorization</c>, <c>bearer.</c> subprotocol), under the WebSocket handshake's
    /// single-source rule, with one allowance: the original SDK sends the same token both in <c>auth</c> and in the
    /// query, so two identical tokens count as one; two different ones are <c>TOKEN_AMBIGUOUS</c>, and a malformed
    /// presentation anywhere refuses. Then the same checks as a WebSocket handshake (draining, connection quotas).
    /// Null and the identity, tenant and quota lease when admitted; else the refusal (its code and message go into
    /// the CONNECT_ERROR).
    /// </summary>
    public WebSocketRefusal? Authenticate(
        WebSocketAdmissionRequest request, string? authToken, bool authMalformed, out ClientIdentity? identity, out TenantPolicy? tenant, out IDisposable? lease)
    {
        ArgumentNullException.ThrowIfNull(request);
        identity = null;
        tenant = null;
        lease = null;
        var validator = Sessions.Validator;
        var handshake = BearerTokenExtractor.Extract(
            request.Header("Authorization"), request.Request.Target, request.Header("Sec-WebSocket-Protocol"), validator.MaxTokenLength);
        var auth = authMalformed
            ? TokenExtraction.Fail(AuthFailureReason.Malformed, TokenSource.SocketIoAuth)
            : authToken is null
                ? TokenExtraction.Fail(AuthFailureReason.Missing, TokenSource.SocketIoAuth)
                : BearerTokenExtractor.FromValue(authToken, TokenSource.SocketIoAuth, validator.MaxTokenLength);
        var chosen = Choose(handshake, auth);
        var result = validator.Validate(chosen);
        if (!result.Succeeded)
        {
            return new WebSocketRefusal(401, result.Code, result.Message);
        }

        var refused = LeaseSet.TakeAll(_checks, request, result.Identity!, out lease);
        if (refused is not null)
        {
            return refused;
        }

        identity = result.Identity!;
        // The quota check admitted the tenant, so it is known here.
        tenant = Sessions.Tenants.Find(identity.Tenant)!;
        return null;
    }

    /// <summary>The single-source rule across the upgrade request and the CONNECT payload (see <see cref="Authenticate"/>).</summary>
    public static TokenExtraction Choose(in TokenExtraction handshake, in TokenExtraction auth)
    {
        if (!handshake.Succeeded && handshake.Failure != AuthFailureReason.Missing)
        {
            return handshake;
        }

        if (!auth.Succeeded && auth.Failure != AuthFailureReason.Missing)
        {
            return auth;
        }

        if (handshake.Succeeded && auth.Succeeded)
        {
            return string.Equals(handshake.Token, auth.Token, StringComparison.Ordinal)
                ? auth
                : TokenExtraction.Fail(AuthFailureReason.MultipleTokens, TokenSource.SocketIoAuth);
        }

        return auth.Succeeded ? auth : handshake.Succeeded ? handshake : TokenExtraction.Fail(AuthFailureReason.Missing);
    }

    /// <summary>True when <paramref name="origin"/> may connect: no list, no Origin header, or listed (case-insensitive).</summary>
    public bool IsOriginAllowed(string? origin) => OriginPolicy.IsAllowed(_allowedOrigins, origin);

    private static WebSocketRefusal EngineIoError(int status, int code, string message) =>
        WebSocketRefusal.WithBody(status, "ENGINE_IO_" + code, message, Encoding.UTF8.GetBytes("{\"code\":" + code + ",\"message\":\"" + message + "\"}"));
}
