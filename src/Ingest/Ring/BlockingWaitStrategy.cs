namespace Edge.Ingest.Ring;

/// <summary>
/// Sleeps on a monitor until signalled: no CPU at all while idle, the default on small machines. A wake-up
/// costs a futex call (microseconds), paid only when a consumer actually sleeps; with a steady flow the
/// consumer finds work waiting and never blocks.
/// </summary>
/// <remarks>
/// Signalling is cheap when nobody waits: a full fence and one read of the waiter count, no lock. The fence
/// pairs with the waiter's interlocked increment (a Dekker handshake): either the signaller sees the waiter,
/// or the waiter, after registering, sees the new sequence — so a wake-up is never lost.
/// Producers signal after each publish and processors after each batch (so a chained stage waiting on an
/// upstream consumer sleeps too, instead of spinning on it).
/// </remarks>
public sealed class BlockingWaitStrategy : IWaitStrategy
{
    // A plain object, not System.Threading.Lock: Monitor.Wait/PulseAll need the object's monitor.
    private readonly object _gate = new();
    private int _waiters;

    public bool IsBlockingStrategy => true;

    public long WaitFor(long sequence, DependentSequences dependents, SequenceBarrier barrier)
    {
        long available;
        if ((available = dependents.Value) >= sequence)
        {
            return available;
        }

        lock (_gate)
        {
            // Full fence: the re-check below cannot be satisfied before the signaller can see this waiter.
            Interlocked.Increment(ref _waiters);
            try
            {
                while ((available = dependents.Value) < sequence && !barrier.IsAlerted)
                {
                    Monitor.Wait(_gate);
                }
            }
            finally
            {
                Interlocked.Decrement(ref _waiters);
            }
        }

        return available;
    }

    public void SignalAllWhenBlocking()
    {
        // Full fence: the sequence store before this call cannot be passed by the read of the waiter count.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _waiters) != 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }
}
