namespace Edge.Protocol.WebSockets;

/// <summary>
/// Close codes Edge uses (RFC 6455 §7.4.1 plus Edge's 4000-range codes) and the validity rule for
/// codes received on the wire. docs/protocol.md, "Close codes", is the table for client authors.
/// </summary>
public static class WebSocketCloseCode
{
    public const ushort NormalClosure = 1000;

    /// <summary>Server shutdown or restart; the reason carries a reconnect hint.</summary>
    public const ushort GoingAway = 1001;

    public const ushort ProtocolError = 1002;

    /// <summary>A frame type the endpoint does not accept (e.g. a binary frame on a JSON connection).</summary>
    public const ushort UnsupportedData = 1003;

    /// <summary>Never on the wire: reported locally when a close frame had no status code.</summary>
    public const ushort NoStatusReceived = 1005;

    /// <summary>Never on the wire: reported locally when the connection dropped without a close frame.</summary>
    public const ushort AbnormalClosure = 1006;

    /// <summary>Invalid UTF-8 in a text frame or a close reason.</summary>
    public const ushort InvalidPayloadData = 1007;

    /// <summary>Message flood or another policy breach.</summary>
    public const ushort PolicyViolation = 1008;

    public const ushort MessageTooBig = 1009;

    public const ushort MandatoryExtension = 1010;

    public const ushort InternalError = 1011;

    /// <summary>Reserved for a generic application error; Edge does not send it today.</summary>
    public const ushort ApplicationError = 4000;

    /// <summary>The connection's token expired and was not refreshed in time.</summary>
    public const ushort TokenExpired = 4001;

    /// <summary>A token refresh (<c>auth</c>) carried a bad token.</summary>
    public const ushort Unauthorized = 4002;

    /// <summary>The token does not allow this connection at all (tenant disabled, scope missing).</summary>
    public const ushort Forbidden = 4003;

    /// <summary>The client read too slowly: its backlog passed the hard limit or the time limit.</summary>
    public const ushort SlowConsumer = 4008;

    /// <summary>
    /// True when <paramref name="code"/> may appear in a close frame: 1000-1003, 1007-1014 and
    /// 3000-4999. 1004, 1005, 1006 and 1015 are never sent; 1012-1014 were registered with IANA
    /// after RFC 6455 (service restart, try again later, bad gateway) and are accepted.
    /// </summary>
    public static bool IsValidOnWire(int code) =>
        code is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);

    /// <summary>What a client should do after the server closed with <paramref name="code"/>.</summary>
    public static ReconnectAdvice AdviceFor(int code) => code switch
    {
        GoingAway or AbnormalClosure or InternalError or 1012 or 1013 or 1014 or SlowConsumer => ReconnectAdvice.Reconnect,
        TokenExpired => ReconnectAdvice.RefreshTokenThenReconnect,
        _ => ReconnectAdvice.DoNotReconnect,
    };
}
