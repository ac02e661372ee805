namespace Edge.Ingest.Tests.Ring;

/// <summary>Records what the processor reported; optionally fails itself, to prove that cannot stop the ring.</summary>
internal sealed class RecordingExceptionHandler : IEventExceptionHandler<TestEvent>
{
    private readonly bool _throwsToo;

    public RecordingExceptionHandler(bool throwsToo) => _throwsToo = throwsToo;

    public List<(long Sequence, long SlotValue, string Message, string Processor)> Reports { get; } = [];

    public void HandleEventException(Exception exception, long sequence, ref TestEvent slot, string processorName)
    {
        lock (Reports)
        {
            Reports.Add((sequence, slot.Value, exception.Message, processorName));
        }

        if (_throwsToo)
        {
            throw new InvalidOperationException("the exception handler failed as well");
        }
    }
}
