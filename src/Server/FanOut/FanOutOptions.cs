using Edge.Ingest.Ring;

namespace Edge.Server.FanOut;

/// <summary>Fan-out tuning: ring size, batching, and the slow-consumer policy.</summary>
public sealed class FanOutOptions
{
    /// <summary>Price ring slots (a power of two).</summary>
    public int RingCapacity { get; set; } = 8192;

    /// <summary>How the frame stage waits for prices: blocking (default), sleeping, yielding or busy-spin.</summary>
    public string RingWaitStrategy { get; set; } = "blocking";

    /// <summary>
    /// Where prices are encoded: <c>inline</c> (the default: the receive thread encodes each price right after putting
    /// it in the ring, and wakes the event loops once per receive batch: one thread and one hand-off fewer) or
    /// <c>thread</c> (the frame stage is a ring consumer on a thread of its own, so encoding can use another core).
    /// </summary>
    public string FrameStage { get; set; } = FrameStageInline;

    public const string FrameStageThread = "thread";

    public const string FrameStageInline = "inline";

    internal bool InlineFrameStage => string.Equals(FrameStage, FrameStageInline, StringComparison.OrdinalIgnoreCase);

    /// <summary>Events one drain handles before it yields the loop to reads and reschedules itself.</summary>
    public int MaxEventsPerDrain { get; set; } = 4096;

    /// <summary>
    /// Write each drain's cork straight to a plaintext connection's socket when DotNetty has nothing queued for it,
    /// instead of through the channel pipeline (saves the pipeline's per-write cost; TLS connections always use it).
    /// </summary>
    public bool DirectWrites { get; set; } = true;

    /// <summary>Milliseconds between checks for held-back (rate-limited or slow-consumer) updates; at least 2.</summary>
    public int ConflationTickMilliseconds { get; set; } = 5;

    /// <summary>A client unwritable for this long is closed with 4008 (slow consumer).</summary>
    public int SlowConsumerTimeoutSeconds { get; set; } = 10;

    /// <summary>A client with more bytes queued than this is closed with 4008 at once.</summary>
    public int SlowConsumerMaxQueuedBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Channel write-buffer high watermark: above it a client's updates are conflated.</summary>
    public int WriteBufferHighWaterMark { get; set; } = 256 * 1024;

    /// <summary>Channel write-buffer low watermark: below it a conflated client gets its latest prices.</summary>
    public int WriteBufferLowWaterMark { get; set; } = 64 * 1024;

    public List<string> Validate()
    {
        var errors = new List<string>();
        if (RingCapacity < 64 || (RingCapacity & (RingCapacity - 1)) != 0)
        {
            errors.Add($"FanOut:RingCapacity must be a power of two of at least 64 (got {RingCapacity}).");
        }

        if (!string.Equals(FrameStage, FrameStageThread, StringComparison.OrdinalIgnoreCase) && !InlineFrameStage)
        {
            errors.Add($"FanOut:FrameStage must be '{FrameStageThread}' or '{FrameStageInline}' (got '{FrameStage}').");
        }

        if (!WaitStrategyFactory.TryParse(RingWaitStrategy, out _))
        {
            errors.Add($"FanOut:RingWaitStrategy must be one of {WaitStrategyFactory.AcceptedNames} (got '{RingWaitStrategy}').");
        }

        if (MaxEventsPerDrain < 1)
        {
            errors.Add($"FanOut:MaxEventsPerDrain must be at least 1 (got {MaxEventsPerDrain}).");
        }

        if (ConflationTickMilliseconds < 2)
        {
            errors.Add($"FanOut:ConflationTickMilliseconds must be at least 2 (got {ConflationTickMilliseconds}); shorter timers spin the event loop.");
        }

        if (SlowConsumerTimeoutSeconds < 1)
        {
            errors.Add($"FanOut:SlowConsumerTimeoutSeconds must be at least 1 (got {SlowConsumerTimeoutSeconds}).");
        }

        if (WriteBufferLowWaterMark <= 0 || WriteBufferHighWaterMark <= WriteBufferLowWaterMark)
        {
            errors.Add("FanOut:WriteBufferHighWaterMark must be above WriteBufferLowWaterMark, both positive.");
        }

        if (SlowConsumerMaxQueuedBytes <= WriteBufferHighWaterMark)
        {
            errors.Add("FanOut:SlowConsumerMaxQueuedBytes must be above WriteBufferHighWaterMark.");
        }

        return errors;
    }
}
