namespace Edge.Perf.Clients;

internal enum ConnectionState
{
    Connecting,

    /// <summary>Request sent, waiting for the 101 (WebSocket) or 200 (SSE) response head.</summary>
    AwaitingResponse,

    /// <summary>Upgraded; the subscribe command is sent, the ack not yet seen (WebSocket only).</summary>
    Open,

    /// <summary>The subscription is acknowledged (SSE: the 200 head arrived), prices flow.</summary>
    Subscribed,

    Closed,
}
