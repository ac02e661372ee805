using Edge.Ingest.Concurrency;

namespace Edge.Ingest.Ring;

/// <summary>
/// Sleeps on a monitor until signalled: no CPU while idle, the default on small machines. Before sleeping it
/// re-checks the sequence for a short, bounded spin (<see cref="DefaultSpinTries"/> PAUSE-checks, ≈ 5
/// microseconds — about what a sleep and wake-up cost anyway), so a consumer under a steady flow rarely sleeps.
/// </summary>
/// <remarks>
/// Signalling costs the producer one plain read when nobody sleeps: no fence, no lock. A full fence per
/// publish would stall the producer on the cross-core round trip of the cursor's cache line (it cut 1P1C
/// throughput by more than ten times); instead the handshake is asymmetric. A consumer about to sleep
/// sets a wake-up request, then runs a process-wide barrier (<see cref="Interlocked.MemoryBarrierProcessWide"/>, a
/// membarrier IPI, a few microseconds paid only per sleep), then re-checks. Any producer's cursor store is
/// either visible to that re-check, or was made after the barrier and is followed by a read that sees the
/// request — so a wake-up is never lost. Producers signal after each publish and processors after
/// each batch, so a chained stage waiting on an upstream consumer sleeps too instead of spinning on it.
/// </remarks>
public sealed class BlockingWaitStrategy : IWaitStrategy
{
    /// <summary>Re-checks (one PAUSE apart, ≈ 5 µs in all) before sleeping. 0 sleeps at once (lowest CPU, slowest under load).</summary>
    public const int DefaultSpinTries = 200;

    // A plain object, not System.Threading.Lock: Monitor.Wait/PulseAll need the object's monitor.
    private readonly object _gate = new();
    private readonly int _spinTries;
    private int _wakeRequested;
    private long _sleeps;

    public BlockingWaitStrategy()
        : this(DefaultSpinTries)
    {
    }

    public BlockingWaitStrategy(int spinTries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(spinTries);
        _spinTries = spinTries;
    }

    public bool IsBlockingStrategy => true;

    /// <summary>How many times a consumer went to sleep (each costs a wake-up later); any thread may read it.</summary>
    public long Sleeps => Interlocked.Read(ref _sleeps);

    public long WaitFor(long sequence, DependentSequences dependents, SequenceBarrier barrier)
    {
        long available;
        for (var tries = _spinTries; (available = dependents.Value) < sequence; tries--)
        {
            if (tries <= 0 || barrier.IsAlerted)
            {
                return Sleep(sequence, dependents, barrier);
            }

            CpuPause.Once();
        }

        return available;
    }

    public void SignalAllWhenBlocking()
    {
        // The exchange makes the first signaller after a sleep the only one to take the lock: a flag that stayed
        // set until the sleeper woke would make every publish in between lock and pulse (a lock convoy).
        if (Volatile.Read(ref _wakeRequested) != 0 && Interlocked.Exchange(ref _wakeRequested, 0) != 0)
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    private long Sleep(long sequence, DependentSequences dependents, SequenceBarrier barrier)
    {
        lock (_gate)
        {
            while (true)
            {
                Volatile.Write(ref _wakeRequested, 1);

                // Every other thread passes a full fence now: a producer's earlier cursor store becomes visible to
                // the check below, and its later read of the flag sees the request.
                Interlocked.MemoryBarrierProcessWide();
                long available;
                if ((available = dependents.Value) >= sequence || barrier.IsAlerted)
                {
                    return available;
                }

                Interlocked.Increment(ref _sleeps);
                Monitor.Wait(_gate);
            }
        }
    }
}
