namespace Edge.Ingest.Tests.Ring;

/// <summary>Checks that every sequence arrives exactly once, in order, holding the value the producer wrote.</summary>
internal readonly struct InOrderHandler : IEventHandler<TestEvent>
{
    private readonly SequenceCheck _check;

    public InOrderHandler(SequenceCheck check) => _check = check;

    public void OnEvent(ref TestEvent slot, long sequence, bool endOfBatch)
    {
        if (sequence != _check.LastSequence + 1)
        {
            _check.Fail($"sequence {sequence} after {_check.LastSequence}");
        }

        if (slot.Value != sequence)
        {
            _check.Fail($"slot {sequence} holds {slot.Value} (overwritten or not yet written)");
        }

        if (endOfBatch)
        {
            _check.EndOfBatchCount++;
        }

        _check.LastSequence = sequence;
        _check.Count++;
    }
}
