namespace Edge.Ingest.Tests.Ring;

/// <summary>
/// A pipeline stage that checks, for every event, that each upstream stage has already finished it (its
/// sequence is at or past this one) and, when asked, that the first stage's mark is in the slot.
/// The first stage marks the slot.
/// </summary>
internal readonly struct StageHandler : IEventHandler<TestEvent>
{
    private readonly Sequence[] _upstream;
    private readonly SequenceCheck _check;
    private readonly bool _marks;
    private readonly bool _expectsMark;

    public StageHandler(SequenceCheck check, bool marks, bool expectsMark, params Sequence[] upstream)
    {
        _check = check;
        _marks = marks;
        _expectsMark = expectsMark;
        _upstream = upstream;
    }

    public void OnEvent(ref TestEvent slot, long sequence, bool endOfBatch)
    {
        foreach (var upstream in _upstream)
        {
            var reached = upstream.Value;
            if (reached < sequence)
            {
                _check.Fail($"overtook upstream: at {sequence}, upstream at {reached}");
            }
        }

        if (sequence != _check.LastSequence + 1 || slot.Value != sequence)
        {
            _check.Fail($"sequence {sequence} after {_check.LastSequence} holding {slot.Value}");
        }

        if (_expectsMark && slot.Stage1Mark != sequence)
        {
            _check.Fail($"slot {sequence} not marked by the first stage (mark {slot.Stage1Mark})");
        }

        if (_marks)
        {
            slot.Stage1Mark = sequence;
        }

        _check.LastSequence = sequence;
        _check.Count++;
    }
}
