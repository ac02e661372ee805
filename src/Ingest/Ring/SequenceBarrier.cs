namespace Edge.Ingest.Ring;

/// <summary>
/// A consumer's view of the ring: waits (through the ring's wait strategy) until the producer and every
/// upstream consumer it depends on have passed a sequence. One barrier per consumer; alerting it stops that
/// consumer's wait so the processor can halt.
/// </summary>
public sealed class SequenceBarrier
{
    private readonly IWaitStrategy _waitStrategy;
    private readonly DependentSequences _dependents;
    private readonly MultiProducerSequencer? _multiProducer;
    private volatile bool _alerted;

    internal SequenceBarrier(Sequencer sequencer, Sequence[] upstream)
    {
        _waitStrategy = sequencer.WaitStrategy;
        _dependents = new DependentSequences(sequencer.Cursor, upstream);
        // Upstream consumers only ever pass published slots, so only a barrier on the cursor needs the publish scan.
        _multiProducer = upstream.Length == 0 ? sequencer as MultiProducerSequencer : null;
    }

    /// <summary>True once <see cref="Alert"/> was called and until <see cref="ClearAlert"/>.</summary>
    public bool IsAlerted => _alerted;

    /// <summary>The sequence the barrier currently lets through (the slowest upstream, or the cursor).</summary>
    public long Cursor => _dependents.Value;

    /// <summary>
    /// Waits for <paramref name="sequence"/>; returns the highest sequence that may be read, which can be well
    /// past it (the consumer then handles the whole batch). A value below <paramref name="sequence"/> means
    /// "not yet": the barrier was alerted, or (multi-producer) the slot is claimed but not yet published.
    /// </summary>
    public long WaitFor(long sequence)
    {
        if (_alerted)
        {
            return sequence - 1;
        }

        var available = _waitStrategy.WaitFor(sequence, _dependents, this);
        if (available < sequence || _multiProducer is null)
        {
            return available;
        }

        return _multiProducer.GetHighestPublishedSequence(sequence, available);
    }

    /// <summary>Makes current and future waits return at once, waking a blocked waiter.</summary>
    public void Alert()
    {
        _alerted = true;
        _waitStrategy.SignalAllWhenBlocking();
    }

    public void ClearAlert() => _alerted = false;
}
