using Edge.Ingest.Ring;

namespace Edge.Benchmarks.Ring;

/// <summary>The cheapest real consumer: reads each slot (so the data really crosses cores) and sums the bids.</summary>
public struct SummingHandler : IEventHandler<PriceLikeSlot>
{
    public long Sum;

    public void OnEvent(ref PriceLikeSlot slot, long sequence, bool endOfBatch) => Sum += slot.Bid;
}
