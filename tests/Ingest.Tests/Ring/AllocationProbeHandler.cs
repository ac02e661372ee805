namespace Edge.Ingest.Tests.Ring;

/// <summary>
/// Reads its own thread's allocation counter at three sequences (from, the midpoint, to), so a test can see what the
/// consumer loop allocated in two back-to-back windows.
/// </summary>
internal readonly struct AllocationProbeHandler : IEventHandler<TestEvent>
{
    private readonly long _from;
    private readonly long _middle;
    private readonly long _to;
    private readonly long[] _allocated;

    /// <param name="from">First sequence to read the counter at.</param>
    /// <param name="to">Last sequence to read the counter at.</param>
    /// <param name="allocated">Receives the bytes at <paramref name="from"/>, at the midpoint and at <paramref name="to"/>.</param>
    public AllocationProbeHandler(long from, long to, long[] allocated)
    {
        _from = from;
        _middle = from + ((to - from) / 2);
        _to = to;
        _allocated = allocated;
    }

    public void OnEvent(ref TestEvent slot, long sequence, bool endOfBatch)
    {
        if (sequence == _from)
        {
            _allocated[0] = GC.GetAllocatedBytesForCurrentThread();
        }
        else if (sequence == _middle)
        {
            _allocated[1] = GC.GetAllocatedBytesForCurrentThread();
        }
        else if (sequence == _to)
        {
            _allocated[2] = GC.GetAllocatedBytesForCurrentThread();
        }
    }
}
