namespace Edge.Ingest.Ring;

/// <summary>The wait strategies a configuration can name (see <see cref="WaitStrategyFactory"/>).</summary>
public enum WaitStrategyKind
{
    /// <summary>Monitor wait, woken by producers: no CPU when idle. The default.</summary>
    Blocking,

    /// <summary>Spin, yield, then 1 ms sleeps: no signalling cost, ≈ 1 ms latency after idle.</summary>
    Sleeping,

    /// <summary>Spin then yield on every check: low latency, a busy core while idle.</summary>
    Yielding,

    /// <summary>Pure spin: lowest latency, a whole core per consumer. Dedicated cores only.</summary>
    BusySpin,
}
