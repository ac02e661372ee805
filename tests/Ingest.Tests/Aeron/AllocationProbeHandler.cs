namespace Edge.Ingest.Tests.Aeron;

/// <summary>
/// Measures what the receive thread allocates (it runs on that thread) in two back-to-back windows of messages,
/// <c>from</c> to the midpoint and the midpoint to <c>to</c>.
/// </summary>
/// <remarks>
/// Why two windows: a one-off allocation by the runtime lands in one window at most, while anything the receiver
/// allocates per message, or every few hundred messages, shows in both. The one seen (56 B now and then, under load)
/// came from tiered PGO's instrumented code while methods tier up, which this project turns off (see its csproj).
/// </remarks>
internal sealed class AllocationProbeHandler : IAeronMessageHandler
{
    private readonly int _from;
    private readonly int _middle;
    private readonly int _to;
    private readonly long[] _windows = [-1, -1];
    private long _windowStart;
    private long _last;
    private int _firstAllocationAt;
    private long _firstAllocationBytes;
    private int _count;

    public AllocationProbeHandler(int from, int to)
    {
        _from = from;
        _middle = from + ((to - from) / 2);
        _to = to;
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>The message that ends the first window and starts the second.</summary>
    public int Middle => _middle;

    /// <summary>True once both windows are measured.</summary>
    public bool Done => Volatile.Read(ref _windows[1]) >= 0;

    /// <summary>The smaller of the two windows' bytes: zero unless the receiver allocates in its steady state.</summary>
    public long QuietWindowAllocated => Math.Min(_windows[0], _windows[1]);

    /// <summary>Both windows' bytes, the first allocation seen and where, for a failure message.</summary>
    public string Describe() =>
        $"windows {_from}..{_middle}: {_windows[0]} B, {_middle}..{_to}: {_windows[1]} B; first allocation: "
        + (_firstAllocationAt == 0 ? "none" : $"{_firstAllocationBytes} B just before message {_firstAllocationAt}")
        + $"; System.Runtime.TieredPGO: {AppContext.GetData("System.Runtime.TieredPGO") ?? "not set (on)"}";

    public void OnMessage(ReadOnlySpan<byte> message, in AeronMessageHeader header)
    {
        var count = _count + 1;
        if (count >= _from && count <= _to)
        {
            var now = GC.GetAllocatedBytesForCurrentThread();
            if (count > _from && now != _last && _firstAllocationAt == 0)
            {
                _firstAllocationAt = count;
                _firstAllocationBytes = now - _last;
            }

            if (count == _from)
            {
                _windowStart = now;
            }
            else if (count == _middle)
            {
                _windows[0] = now - _windowStart;
                _windowStart = now;
            }
            else if (count == _to)
            {
                Volatile.Write(ref _windows[1], now - _windowStart);
            }

            _last = now;
        }

        Volatile.Write(ref _count, count);
    }

    public void OnBatchEnd()
    {
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
