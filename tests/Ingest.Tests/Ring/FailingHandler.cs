namespace Edge.Ingest.Tests.Ring;

/// <summary>Throws on every sequence divisible by <c>failEvery</c> after offset 3; checks and counts the rest.</summary>
internal readonly struct FailingHandler : IEventHandler<TestEvent>
{
    public const int FailEvery = 10;

    private readonly SequenceCheck _check;

    public FailingHandler(SequenceCheck check) => _check = check;

    public static bool Fails(long sequence) => sequence % FailEvery == 3;

    public void OnEvent(ref TestEvent slot, long sequence, bool endOfBatch)
    {
        if (Fails(sequence))
        {
            throw new InvalidOperationException($"handler failure at {sequence}");
        }

        if (sequence <= _check.LastSequence || slot.Value != sequence)
        {
            _check.Fail($"sequence {sequence} after {_check.LastSequence} holding {slot.Value}");
        }

        _check.LastSequence = sequence;
        _check.Count++;
    }
}
