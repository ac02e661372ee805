namespace Edge.Ingest.Ring;

/// <summary>
/// How a consumer waits for a sequence to become available, and how producers and upstream consumers wake it.
/// </summary>
/// <remarks>
/// Contract: <see cref="WaitFor"/> returns the highest available sequence, which is at least
/// <c>sequence</c> once it is available; it returns something smaller only when the barrier has been alerted
/// (the processor is halting). Implementations must check <see cref="SequenceBarrier.IsAlerted"/> while
/// they wait and must wake up when <see cref="SignalAllWhenBlocking"/> is called after an alert.
/// </remarks>
public interface IWaitStrategy
{
    /// <summary>
    /// True when waiters sleep and must be signalled: producers then call <see cref="SignalAllWhenBlocking"/>
    /// after every publish and processors after every batch. False lets both skip the call entirely.
    /// </summary>
    bool IsBlockingStrategy { get; }

    /// <summary>Waits until <paramref name="dependents"/> reaches <paramref name="sequence"/> or the barrier is alerted.</summary>
    long WaitFor(long sequence, DependentSequences dependents, SequenceBarrier barrier);

    /// <summary>Wakes every waiter; called after a sequence moved. Cheap when nobody waits.</summary>
    void SignalAllWhenBlocking();
}
