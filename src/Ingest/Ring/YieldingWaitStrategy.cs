using Edge.Ingest.Concurrency;

namespace Edge.Ingest.Ring;

/// <summary>
/// Spins briefly, then calls <see cref="Thread.Yield"/> on every check: latency close to busy-spin while
/// another runnable thread still gets the core. An idle consumer still shows as 100 % CPU (the yield returns at
/// once when nothing else wants the core), so use it for throughput runs, not as a server default.
/// </summary>
public sealed class YieldingWaitStrategy : IWaitStrategy
{
    private const int SpinTries = 100;

    public bool IsBlockingStrategy => false;

    public long WaitFor(long sequence, DependentSequences dependents, SequenceBarrier barrier)
    {
        var counter = SpinTries;
        long available;
        while ((available = dependents.Value) < sequence)
        {
            if (barrier.IsAlerted)
            {
                break;
            }

            if (counter > 0)
            {
                counter--;
                CpuPause.Once();
            }
            else
            {
                Thread.Yield();
            }
        }

        return available;
    }

    public void SignalAllWhenBlocking()
    {
    }
}
