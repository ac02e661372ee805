using Edge.Server.Metrics;

namespace Edge.Server.Hosting;

/// <summary>
/// Gives memory back to the OS after a burst. Large messages (above <see cref="Transport.EdgeBufferPool.ChunkBytes"/>)
/// are allocated unpooled and become garbage when released, but the GC collects only when allocation asks it to,
/// and keeps what it freed committed: after a burst of 16 MB echo messages RSS stayed at ≈ 290 MB for good.
/// Every <see cref="Interval"/> this checks, off the event loops, whether the resident memory grew by more than
/// <see cref="SlackBytes"/> since the last trim while allocation has gone quiet (the burst is over); if so it
/// runs one aggressive full collection, which compacts and decommits the free memory. The steady state
/// allocates almost nothing, so it never qualifies; a process whose live memory grew stays at its new size and
/// is trimmed again only after a further <see cref="SlackBytes"/>.
/// </summary>
internal sealed class BurstMemoryTrimmer : IDisposable
{
    /// <summary>How often the check runs.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    /// <summary>Growth of the resident memory over its size after the last trim that counts as a burst's leftover.</summary>
    public const long SlackBytes = 32L * 1024 * 1024;

    /// <summary>At most this much allocated since the previous check means the burst is over.</summary>
    public const long QuietBytes = 4L * 1024 * 1024;

    private readonly Counter _trims;
    private readonly Timer _timer;
    private readonly Lock _gate = new();
    private long _residentAfterTrim;
    private long _allocatedAtLastCheck;

    public BurstMemoryTrimmer(MetricsRegistry metrics)
    {
        _trims = metrics.Counter("edge_memory_trims_total", "Full collections run to give memory back to the OS after a burst.");
        _residentAfterTrim = Environment.WorkingSet;
        _allocatedAtLastCheck = GC.GetTotalAllocatedBytes();
        _timer = new Timer(static state => ((BurstMemoryTrimmer)state!).Check(), this, Interval, Interval);
    }

    public void Dispose() => _timer.Dispose();

    private void Check()
    {
        // A slow collection must not overlap the next tick's.
        if (!_gate.TryEnter())
        {
            return;
        }

        try
        {
            var allocated = GC.GetTotalAllocatedBytes();
            var quiet = allocated - _allocatedAtLastCheck <= QuietBytes;
            _allocatedAtLastCheck = allocated;
            var resident = Environment.WorkingSet;
            if (!quiet || resident - _residentAfterTrim <= SlackBytes)
            {
                // Below the mark, it follows the memory down (a trim by the GC itself lowers the baseline too).
                _residentAfterTrim = Math.Min(_residentAfterTrim, resident);
                return;
            }

            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            _trims.Increment();
            _residentAfterTrim = Environment.WorkingSet;
            _allocatedAtLastCheck = GC.GetTotalAllocatedBytes();
        }
        finally
        {
            _gate.Exit();
        }
    }
}
