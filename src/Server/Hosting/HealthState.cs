namespace Edge.Server.Hosting;

/// <summary>
/// Liveness and readiness as the HTTP probes report them. Ready means: listening, the price feed up, and not
/// draining for shutdown. Written by the host and the ingest thread, read by any event loop.
/// </summary>
public sealed class HealthState
{
    private volatile bool _listening;
    private volatile bool _draining;
    private volatile bool _feedUp;
    private volatile bool _feedRequired;

    public bool Ready => _listening && !_draining && (_feedUp || !_feedRequired);

    public bool FeedUp => _feedUp;

    public bool Draining => _draining;

    public void MarkListening() => _listening = true;

    public void MarkDraining() => _draining = true;

    /// <summary>From now on readiness also needs the feed up (set once ingest is wired).</summary>
    public void RequireFeed() => _feedRequired = true;

    public void SetFeedUp(bool up) => _feedUp = up;
}
