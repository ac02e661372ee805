namespace Edge.Server.Sessions;

/// <summary>
/// When a connection's first heartbeat goes out: at a random point of the first interval, not a whole interval after
/// the connect. Connections that arrive together (a restart, a reconnect storm, the market open) would otherwise get
/// every later heartbeat together too: a burst of pipeline writes and flushes, one per connection, that holds up the
/// prices queued behind it on the event loop every interval, for good. Later heartbeats keep the interval, so the
/// phases stay spread. Never later than the interval the client was told.
/// </summary>
public static class HeartbeatPhase
{
    // DotNetty 0.7.6 spins its loop on timers due in under 1 ms; keep well clear of that.
    private static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(10);

    /// <summary>A delay drawn uniformly from (10 ms, <paramref name="interval"/>].</summary>
    public static TimeSpan FirstDelay(TimeSpan interval)
    {
        var delay = interval * (1.0 - Random.Shared.NextDouble());
        return delay < Shortest ? Shortest : delay;
    }
}
