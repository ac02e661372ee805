namespace Edge.Ingest.Ring;

/// <summary>
/// A point-in-time view of a ring for the metrics exporter. Read from any thread; the values are read one
/// after another, not atomically together.
/// </summary>
/// <param name="Capacity">Slots in the ring.</param>
/// <param name="Cursor">Highest published sequence (multi-producer: highest claimed).</param>
/// <param name="MinimumGatingSequence">Sequence of the slowest end consumer.</param>
/// <param name="FullRingWaits">Claims that found the ring full and waited (back-pressure episodes).</param>
/// <param name="TryNextFailures">Non-waiting claims refused because the ring was full.</param>
public readonly record struct RingMetrics(
    int Capacity,
    long Cursor,
    long MinimumGatingSequence,
    long FullRingWaits,
    long TryNextFailures)
{
    /// <summary>Events published but not yet processed by the slowest end consumer (0 … capacity).</summary>
    public long Depth => Cursor - MinimumGatingSequence;
}
