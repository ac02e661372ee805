using Edge.Protocol.Client;

namespace Edge.Client;

/// <summary>Settings of a <see cref="MarketDataClient"/>.</summary>
public sealed class MarketDataClientOptions
{
    /// <summary>The market-data endpoint, e.g. <c>ws://localhost:8080/market-data</c>.</summary>
    public Uri? Url { get; set; }

    /// <summary>A fixed bearer token. Ignored when <see cref="GetToken"/> is set.</summary>
    public string? Token { get; set; }

    /// <summary>
    /// Supplies a fresh bearer token: called before every connection and again a little before the current
    /// token's <c>exp</c>, so the connection is refreshed with an <c>auth</c> command instead of being closed with 4001.
    /// </summary>
    public Func<CancellationToken, ValueTask<string>>? GetToken { get; set; }

    /// <summary>Wire encoding; MessagePack is the default and the cheaper one.</summary>
    public ClientEncoding Encoding { get; set; } = ClientEncoding.MessagePack;

    /// <summary>Reconnect (and resubscribe everything) after a connection is lost for a reason that allows it.</summary>
    public bool Reconnect { get; set; } = true;

    /// <summary>Consecutive failed reconnection attempts before the client gives up; 0 means no limit.</summary>
    public int MaxReconnectAttempts { get; set; } = 10;

    /// <summary>First reconnection delay; doubled after each failed attempt (with jitter), capped by <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectBaseDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a command waits for its ack.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the WebSocket handshake plus the <c>connected</c> message may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long before the token's <c>exp</c> it is refreshed; for short-lived tokens at most a quarter of
    /// the remaining lifetime is used instead.
    /// </summary>
    public TimeSpan TokenRefreshLead { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A connection that receives nothing for this many heartbeat intervals is treated as dead.</summary>
    public double HeartbeatTimeoutFactor { get; set; } = 2.5;

    /// <summary>
    /// Sends the WebSocket handshake instead of <c>ClientWebSocket</c>'s own connection (its
    /// <c>ConnectAsync(uri, invoker, ct)</c>): e.g. a <see cref="System.Net.Http.SocketsHttpHandler"/> with a
    /// <c>ConnectCallback</c> (a chosen source address, a Unix socket), a proxy or client certificates, which then go
    /// on the handler. The client does not dispose it. Null: <c>ClientWebSocket</c> connects by itself.
    /// </summary>
    public HttpMessageInvoker? HttpInvoker { get; set; }

    /// <summary>Prices buffered per <see cref="MarketDataClient.Prices"/> reader; when full the oldest is dropped (latest wins).</summary>
    public int PriceBufferCapacity { get; set; } = 1024;

    internal void Validate()
    {
        if (Url is null || (Url.Scheme != "ws" && Url.Scheme != "wss"))
        {
            throw new ArgumentException("Url must be a ws:// or wss:// address.", nameof(Url));
        }

        if (GetToken is null && string.IsNullOrEmpty(Token))
        {
            throw new ArgumentException("Set Token or GetToken.", nameof(Token));
        }

        if (HeartbeatTimeoutFactor <= 1 || PriceBufferCapacity < 1 || MaxReconnectAttempts < 0)
        {
            throw new ArgumentException("HeartbeatTimeoutFactor must be above 1, PriceBufferCapacity at least 1, MaxReconnectAttempts not negative.");
        }
    }
}
