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

            // One PAUSE: keeps the spin off the sibling hyper-thread's back and out of the memory-order pipeline flush.
            Thread.SpinWait(1);
        }

        return available;
    }

    public void SignalAllWhenBlocking()
    {
    }
}
