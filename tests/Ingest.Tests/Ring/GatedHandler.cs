namespace Edge.Ingest.Tests.Ring;

/// <summary>
/// Holds the first event until the test opens the gate, so the ring fills up behind it; then checks order
/// like <see cref="InOrderHandler"/>. Records the thread it ran on.
/// </summary>
internal readonly struct GatedHandler : IEventHandler<TestEvent>
{
    private readonly ManualResetEventSlim _gate;
    private readonly ManualResetEventSlim _holding;
    private readonly SequenceCheck _check;
    private readonly Thread?[] _thread;

    public GatedHandler(ManualResetEventSlim gate, ManualResetEventSlim holding, SequenceCheck check, Thread?[] thread)
    {
        _gate = gate;
        _holding = holding;
        _check = check;
        _thread = thread;
    }

    public void OnEvent(ref TestEvent slot, long sequence, bool endOfBatch)
    {
        _thread[0] = Thread.CurrentThread;
        _holding.Set();
        if (!_gate.Wait(RingTestSupport.Generous))
        {
            _check.Fail("gate never opened");
        }

        new InOrderHandler(_check).OnEvent(ref slot, sequence, endOfBatch);
    }
}
