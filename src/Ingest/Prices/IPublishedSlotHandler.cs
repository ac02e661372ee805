namespace Edge.Ingest.Prices;

/// <summary>
/// Work done by the ingest thread itself on each slot right after it is published, instead of by a ring consumer
/// on a thread of its own (one hand-off fewer between the packet and the client). Must not block.
/// </summary>
public interface IPublishedSlotHandler
{
    void OnPublished(ref PriceSlot slot, long sequence);
}
