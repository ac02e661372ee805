namespace Edge.Ingest.Prices;

/// <summary>
/// Work done by the ingest thread itself on each slot right after it is published, instead of by a ring consumer
/// on a thread of its own (one hand-off fewer between the packet and the client). Must not block.
/// </summary>
public interface IPublishedSlotHandler
{
    /// <summary>One slot, just published: do the per-slot work (encode), but wake nobody yet.</summary>
    void OnPublished(ref PriceSlot slot, long sequence);

    /// <summary>The end of a batch of slots (a receive batch, or a bounded part of one): publish and wake consumers, once.</summary>
    void OnBatchEnd();
}
