namespace Edge.Protocol.Client;

/// <summary>
/// Error codes of client protocol v1. On the wire each is its SCREAMING_SNAKE_CASE name
/// (<see cref="ErrorCodes.WireName"/>); docs/protocol.md, "Error codes", says when each is sent.
/// </summary>
public enum ErrorCode : byte
{
    /// <summary>Malformed message: not a map/object, bad field type, missing field.</summary>
    InvalidMessage = 1,

    /// <summary>A message larger than the connection's limit.</summary>
    MessageTooLarge,

    /// <summary>A well-formed message whose <c>type</c> is not a v1 client message.</summary>
    UnknownType,

    /// <summary>A symbol that breaks the symbol rules (empty, over 32 bytes, control characters).</summary>
    InvalidSymbol,

    /// <summary>A well-formed symbol the feed does not carry.</summary>
    UnknownSymbol,

    /// <summary>A symbol the client's token does not entitle it to.</summary>
    ForbiddenSymbol,

    /// <summary>The subscription would exceed the connection's total subscription limit.</summary>
    SubscriptionLimit,

    /// <summary>More symbols in one request than the per-request limit.</summary>
    TooManySymbols,

    /// <summary>Requests arrive faster than the connection's request rate limit.</summary>
    RateLimited,

    /// <summary>A token refresh (<c>auth</c>) with a token that fails validation.</summary>
    Unauthorized,

    /// <summary>The connection's token expired.</summary>
    TokenExpired,

    /// <summary>A refreshed token for a different subject or tenant than the connection's.</summary>
    TokenMismatch,

    /// <summary>The server failed; the request may be retried.</summary>
    InternalError,

    /// <summary>The client read too slowly and its stream ends (SSE; the WebSocket path closes with 4008).</summary>
    SlowConsumer,
}
