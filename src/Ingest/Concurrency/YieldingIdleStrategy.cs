namespace Edge.Ingest.Concurrency;

/// <summary>
/// Never sleeps: after a pass that found nothing, <see cref="Thread.Yield"/> (sched_yield), so the other threads on
/// this core (Edge's frame stage, event loops) run when they want to; otherwise straight on.
/// </summary>
internal readonly struct YieldingIdleStrategy : IIdleStrategy
{
    public void Idle(int workCount)
    {
        if (workCount == 0)
        {
            Thread.Yield();
        }
    }
}
