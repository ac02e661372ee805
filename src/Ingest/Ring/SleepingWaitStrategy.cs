using Edge.Ingest.Concurrency;

namespace Edge.Ingest.Ring;

/// <summary>
/// Spins, then yields, then sleeps 1 ms between checks: near-zero CPU when idle and no signalling cost for
/// producers, at the price of up to about a millisecond of latency on the first event after a quiet spell
/// (Linux rounds <c>Thread.Sleep(1)</c> to ≈ 1.1 ms). A yielding strategy that backs off to sleeping.
/// </summary>
public sealed class SleepingWaitStrategy : IWaitStrategy
{
    private const int SpinTries = 100;
    private const int YieldTries = 100;

    public bool IsBlockingStrategy => false;

    public long WaitFor(long sequence, DependentSequences dependents, SequenceBarrier barrier)
    {
        var counter = SpinTries + YieldTries;
        long available;
        while ((available = dependents.Value) < sequence)
        {
            if (barrier.IsAlerted)
            {
                break;
            }

            if (counter > YieldTries)
            {
                counter--;
                CpuPause.Once();
            }
            else if (counter > 0)
            {
                counter--;
                Thread.Yield();
            }
            else
            {
                Thread.Sleep(1);
            }
        }

        return available;
    }

    public void SignalAllWhenBlocking()
    {
    }
}
