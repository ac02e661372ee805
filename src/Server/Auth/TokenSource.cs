namespace Edge.Server.Auth;

/// <summary>Where in the WebSocket handshake a token was found.</summary>
public enum TokenSource : byte
{
    None = 0,

    /// <summary><c>Authorization: Bearer &lt;token&gt;</c> (non-browser clients).</summary>
    AuthorizationHeader,

    /// <summary>The <c>token</c> query parameter of the request target (browsers).</summary>
    QueryParameter,

    /// <summary>A <c>bearer.&lt;token&gt;</c> entry of <c>Sec-WebSocket-Protocol</c> (browsers).</summary>
    Subprotocol,

    /// <summary>The <c>auth</c> payload of a socket.io CONNECT (<c>{ token }</c>).</summary>
    SocketIoAuth,
}
