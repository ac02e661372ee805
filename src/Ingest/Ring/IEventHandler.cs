namespace Edge.Ingest.Ring;

/// <summary>
/// Handles the events of a ring, one at a time, in sequence order, on the processor's thread.
/// </summary>
/// <remarks>
/// Implement it on a <c>struct</c> (holding references to whatever state it needs) to get the call
/// devirtualised and inlined in the processor's loop: the JIT and native AOT compile the processor separately
/// for each value-type handler. A class handler works too, but shares the code compiled for all reference
/// types and is called through the interface.
/// </remarks>
public interface IEventHandler<T>
    where T : struct
{
    /// <summary>
    /// Handles the slot at <paramref name="sequence"/>. <paramref name="endOfBatch"/> is true on the last event
    /// the processor has in hand (flush buffered work then). The slot may be modified, for stages downstream;
    /// it must not be kept after the call (the producer reuses it a lap later).
    /// </summary>
    void OnEvent(ref T slot, long sequence, bool endOfBatch);
}
