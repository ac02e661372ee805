namespace Edge.Server.WebSockets;

/// <summary>What every <see cref="WebSocketCodec"/> of a server shares: its limits, its timeout and its counters.</summary>
public sealed class WebSocketCodecSettings
{
    public WebSocketCodecSettings(int maxMessageBytes, TimeSpan closeTimeout, WebSocketCounters counters)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(closeTimeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(counters);
        MaxMessageBytes = maxMessageBytes;
        CloseTimeout = closeTimeout;
        Counters = counters;
    }

    /// <summary>Largest message, all fragments together; more is closed with 1009 as soon as a header announces it.</summary>
    public int MaxMessageBytes { get; }

    /// <summary>How long a server-initiated close waits for the client's close frame before closing TCP.</summary>
    public TimeSpan CloseTimeout { get; }

    public WebSocketCounters Counters { get; }
}
