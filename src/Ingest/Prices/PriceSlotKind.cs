namespace Edge.Ingest.Prices;

/// <summary>What a ring slot carries. Feed status travels through the ring so it keeps its order with prices.</summary>
public enum PriceSlotKind : byte
{
    Price = 0,
    FeedUp = 1,
    FeedDown = 2,
}
