namespace Edge.Server.FanOut;

/// <summary>One client's subscription to one symbol, with its delivery state. Owned by the client's event loop.</summary>
public sealed class Subscription
{
    public Subscription(FanOutSession session, int symbolId, long minIntervalTicks)
    {
        Session = session;
        SymbolId = symbolId;
        MinIntervalTicks = minIntervalTicks;
    }

    public FanOutSession Session { get; }

    public int SymbolId { get; }

    /// <summary>Clock ticks (Stopwatch ticks in Edge) between deliveries (from the client's max rate); 0 means every update.</summary>
    public long MinIntervalTicks { get; set; }

    /// <summary>Position in its symbol's <see cref="SubscriberSet"/>, for O(1) removal.</summary>
    internal int IndexInSet { get; set; } = -1;

    /// <summary>Ring sequence of the last price sent; nothing at or below it is sent again.</summary>
    public long LastSent { get; set; } = -1;

    /// <summary>Clock time before which a rate-limited subscription holds its updates.</summary>
    public long NextAllowedAt { get; set; }

    /// <summary>A newer price is held back (rate limit or slow consumer); the latest is sent when allowed.</summary>
    public bool Pending { get; set; }
}
