using Edge.Ingest.Aeron;

namespace Edge.Ingest.Tests.Aeron;

/// <summary>Measures what the receive thread allocates between two message counts (it runs on that thread).</summary>
internal sealed class AllocationProbeHandler : IAeronMessageHandler
{
    private readonly int _from;
    private readonly int _to;
    private long _start;
    private long _allocated = -1;
    private int _count;

    public AllocationProbeHandler(int from, int to)
    {
        _from = from;
        _to = to;
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Bytes allocated by the receive thread from message <c>from</c> to message <c>to</c>; -1 until then.</summary>
    public long Allocated => Volatile.Read(ref _allocated);

    public void OnMessage(ReadOnlySpan<byte> message, in AeronMessageHeader header)
    {
        var count = _count + 1;
        if (count == _from)
        {
            _start = GC.GetAllocatedBytesForCurrentThread();
        }
        else if (count == _to)
        {
            Volatile.Write(ref _allocated, GC.GetAllocatedBytesForCurrentThread() - _start);
        }

        Volatile.Write(ref _count, count);
    }

    public void OnImageAvailable(AeronImageInfo image)
    {
    }

    public void OnImageUnavailable(AeronImageInfo image, AeronImageEndReason reason, long position)
    {
    }

    public void OnFeedUp()
    {
    }

    public void OnFeedDown()
    {
    }
}
