namespace Edge.Protocol.Client;

/// <summary>
/// A decoded server-to-client message (see <see cref="ServerMessageDecoder"/>), for clients: the
/// .NET SDK, end-to-end tests, the capacity harness. Only the properties of its
/// <see cref="Type"/> are set (docs/protocol.md, "Server → client").
/// </summary>
public sealed class ServerMessage
{
    public ServerMessageType Type { get; init; }

    /// <summary>ack, pong, and error when the failed request's id was known.</summary>
    public long? Id { get; init; }

    /// <summary>connected.</summary>
    public string? ClientId { get; init; }

    /// <summary>connected: server time, ns since the Unix epoch.</summary>
    public long? ServerTime { get; init; }

    /// <summary>connected: milliseconds between heartbeats.</summary>
    public int? HeartbeatInterval { get; init; }

    /// <summary>connected.</summary>
    public ConnectionLimits? Limits { get; init; }

    /// <summary>ack: which list it carries (<c>subscribed</c> or <c>unsubscribed</c>).</summary>
    public AckKind? AckKind { get; init; }

    /// <summary>ack: the symbols of <c>subscribed</c> or <c>unsubscribed</c>.</summary>
    public IReadOnlyList<string>? Symbols { get; init; }

    /// <summary>
    /// ack: the request's symbols that were refused. A code this version does not know (from a
    /// newer server) reads as <c>(ErrorCode)0</c>.
    /// </summary>
    public IReadOnlyList<SymbolError>? Errors { get; init; }

    /// <summary>error: the wire code, as sent.</summary>
    public string? Code { get; init; }

    /// <summary>error: human-readable text; notice: the operator's text.</summary>
    public string? Message { get; init; }

    /// <summary>price.</summary>
    public BestPrice? Price { get; init; }

    /// <summary>snapshot.</summary>
    public IReadOnlyList<BestPrice>? Prices { get; init; }

    /// <summary>heartbeat, pong and notice: server time, ns since the Unix epoch.</summary>
    public long? Time { get; init; }

    /// <summary>status.</summary>
    public FeedState? Feed { get; init; }

    /// <summary>status.</summary>
    public string? Reason { get; init; }
}
