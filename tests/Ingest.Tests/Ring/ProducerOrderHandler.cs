namespace Edge.Ingest.Tests.Ring;

/// <summary>
/// Checks that each producer's events arrive in that producer's order with no gap and no repeat: with the
/// final counts equal to what each producer sent, that is "every event exactly once, in order".
/// </summary>
internal readonly struct ProducerOrderHandler : IEventHandler<TestEvent>
{
    private readonly ProducerOrderCheck _check;

    public ProducerOrderHandler(ProducerOrderCheck check) => _check = check;

    public void OnEvent(ref TestEvent slot, long sequence, bool endOfBatch)
    {
        ref var expected = ref _check.NextExpected[slot.ProducerId];
        if (slot.Value != expected)
        {
            _check.Errors++;
            _check.FirstError ??= $"producer {slot.ProducerId}: got {slot.Value}, expected {expected} (sequence {sequence})";
        }

        expected = slot.Value + 1;
        _check.Count++;
    }
}
