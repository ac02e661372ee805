using System.Runtime.InteropServices;

namespace Edge.Ingest.Ring;

/// <summary>
/// The single producer's private counters, padded so no consumer-written line sits next to them: they are
/// read and written on every claim.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 56 + (2 * sizeof(long)) + 56)]
internal struct ProducerCursorState
{
    /// <summary>The highest sequence claimed.</summary>
    [FieldOffset(56)]
    public long NextValue;

    /// <summary>The slowest gating consumer when last looked at: re-read only when a claim would pass it.</summary>
    [FieldOffset(64)]
    public long CachedGatingSequence;
}
