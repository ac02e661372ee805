namespace Edge.Ingest.Concurrency;

/// <summary>
/// Holds the core: after a pass that found nothing, one <see cref="CpuPause"/> and straight on. Only for a core of
/// its own; on a shared core it starves the threads behind it.
/// </summary>
internal readonly struct BusySpinIdleStrategy : IIdleStrategy
{
    public void Idle(int workCount)
    {
        if (workCount == 0)
        {
            CpuPause.Once();
        }
    }
}
