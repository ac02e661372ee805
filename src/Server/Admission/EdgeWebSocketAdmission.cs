using Edge.Protocol.Client;
using Edge.Server.Auth;
using Edge.Server.WebSockets;

namespace Edge.Server.Admission;

/// <summary>
/// Edge's admission for market data, in this order:
/// <list type="number">
/// <item><c>Origin</c>: when <c>WebSocket:AllowedOrigins</c> is not empty, a browser's origin must be in it (403
/// <c>ORIGIN_NOT_ALLOWED</c>); a request without <c>Origin</c> (not a browser) passes.</item>
/// <item>The bearer token (header, <c>token</c> query parameter or <c>bearer.</c> subprotocol entry), validated by
/// <see cref="JwtValidator"/>: 401 with <c>WWW-Authenticate: Bearer</c> and the auth code (<c>TOKEN_MISSING</c>,
/// <c>TOKEN_EXPIRED</c>…) when missing or invalid. The token is never logged, echoed or put in an error.</item>
/// <item>The additional checks (connection quotas, refusing during shutdown), each may refuse; their leases are released with the connection.</item>
/// </list>
/// Then the encoding comes from the negotiated subprotocol and <c>accept</c> builds the decision (the application
/// handler) from the <see cref="ClientConnection"/>. Thread-safe if the checks and <c>accept</c> are.
/// </summary>
public sealed class EdgeWebSocketAdmission : IWebSocketAdmission
{
    public static readonly WebSocketRefusal OriginNotAllowed =
        new(403, "ORIGIN_NOT_ALLOWED", "this origin may not open market-data connections");

    private static readonly KeyValuePair<string, string>[] BearerChallenge = [new("WWW-Authenticate", "Bearer")];
    private static readonly KeyValuePair<string, string>[] InvalidTokenChallenge = [new("WWW-Authenticate", "Bearer error=\"invalid_token\"")];

    private readonly JwtValidator _validator;
    private readonly string[] _allowedOrigins;
    private readonly IWebSocketAdmissionCheck[] _checks;
    private readonly Func<ClientConnection, WebSocketAdmissionDecision> _accept;

    /// <param name="validator">The server's token validator.</param>
    /// <param name="allowedOrigins">Allowed browser origins; empty allows any.</param>
    /// <param name="accept">Builds the acceptance (the application handler) for an admitted client.</param>
    /// <param name="checks">Further checks after authentication, in order (quotas).</param>
    public EdgeWebSocketAdmission(
        JwtValidator validator,
        IReadOnlyList<string> allowedOrigins,
        Func<ClientConnection, WebSocketAdmissionDecision> accept,
        IReadOnlyList<IWebSocketAdmissionCheck>? checks = null)
    {
        ArgumentNullException.ThrowIfNull(validator);
        ArgumentNullException.ThrowIfNull(allowedOrigins);
        ArgumentNullException.ThrowIfNull(accept);
        _validator = validator;
        _allowedOrigins = [.. allowedOrigins];
        _accept = accept;
        _checks = checks is null ? [] : [.. checks];
    }

    /// <summary>The subprotocols market-data connections speak, in the server's order.</summary>
    public static string[] Subprotocols { get; } = [ClientSubprotocol.MessagePack, ClientSubprotocol.Json];

    public WebSocketAdmissionDecision Admit(WebSocketAdmissionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!IsOriginAllowed(request.Header("Origin")))
        {
            return WebSocketAdmissionDecision.Refuse(OriginNotAllowed);
        }

        var extraction = BearerTokenExtractor.Extract(
            request.Header("Authorization"),
            request.Request.Target,
            request.Header("Sec-WebSocket-Protocol"),
            _validator.MaxTokenLength);
        var result = _validator.Validate(extraction);
        if (!result.Succeeded)
        {
            var challenge = result.Failure == AuthFailureReason.Missing ? BearerChallenge : InvalidTokenChallenge;
            return WebSocketAdmissionDecision.Refuse(401, result.Code, result.Message, challenge);
        }

        var identity = result.Identity!;
        var refused = LeaseSet.TakeAll(_checks, request, identity, out var lease);
        if (refused is not null)
        {
            return WebSocketAdmissionDecision.Refuse(refused);
        }

        // The handshake already refused offers with no supported entry, so this only maps the choice to an encoding.
        ClientSubprotocol.TryNegotiate(request.Subprotocol, out var encoding, out _);
        var connection = new ClientConnection(identity, encoding, request.Subprotocol, request.RemoteAddress, extraction.Source);
        var decision = _accept(connection);
        if (!decision.Accepted)
        {
            lease?.Dispose();
            return decision;
        }

        if (lease is null)
        {
            return decision;
        }

        // The check leases travel with the decision, so the upgrade releases them with the connection.
        return decision.WithLease(decision.Lease is null ? lease : new LeaseSet([lease, decision.Lease]));
    }

    /// <summary>True when <paramref name="origin"/> may connect: no list, no Origin header, or listed (case-insensitive).</summary>
    public bool IsOriginAllowed(string? origin) => OriginPolicy.IsAllowed(_allowedOrigins, origin);
}
