using Edge.Ingest.Ring;

namespace Edge.Ingest.Tests.Ring;

/// <summary>Reads its own thread's allocation counter at two chosen sequences, so a test can see what the consumer loop allocated.</summary>
internal readonly struct AllocationProbeHandler : IEventHandler<TestEvent>
{
    private readonly long _from;
    private readonly long _to;
    private readonly long[] _allocated;

    /// <param name="from">First sequence to read the counter at.</param>
    /// <param name="to">Second sequence to read the counter at.</param>
    /// <param name="allocated">Receives [bytes at <paramref name="from"/>, bytes at <paramref name="to"/>].</param>
    public AllocationProbeHandler(long from, long to, long[] allocated)
    {
        _from = from;
        _to = to;
        _allocated = allocated;
    }

    public void OnEvent(ref TestEvent slot, long sequence, bool endOfBatch)
    {
        if (sequence == _from)
        {
            _allocated[0] = GC.GetAllocatedBytesForCurrentThread();
        }
        else if (sequence == _to)
        {
            _allocated[1] = GC.GetAllocatedBytesForCurrentThread();
        }
    }
}
