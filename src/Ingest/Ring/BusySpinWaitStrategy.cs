using Edge.Ingest.Concurrency;

namespace Edge.Ingest.Ring;

/// <summary>
/// Spins on the sequence without ever giving up the core: the lowest latency, and a whole core burnt per
/// consumer even when idle. Only for consumers pinned to dedicated cores; never on the 2-core reference machine.
/// </summary>
public sealed class BusySpinWaitStrategy : IWaitStrategy
{
    public bool IsBlockingStrategy => false;

    public long WaitFor(long sequence, DependentSequences dependents, SequenceBarrier barrier)
    {
        long available;
        while ((available = dependents.Value) < sequence)
        {
            if (barrier.IsAlerted)
            {
                break;
            }

            CpuPause.Once();
        }

        return available;
    }

    public void SignalAllWhenBlocking()
    {
    }
}
