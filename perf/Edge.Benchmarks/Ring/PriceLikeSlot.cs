namespace Edge.Benchmarks.Ring;

/// <summary>A slot shaped like the price slot the ingest will define: interned symbol id, bid, ask, time (32 bytes).</summary>
public struct PriceLikeSlot
{
    public int SymbolId;
    public long Bid;
    public long Ask;
    public long TimestampTicks;
}
