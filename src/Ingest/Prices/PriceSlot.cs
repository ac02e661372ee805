using Edge.Protocol;

namespace Edge.Ingest.Prices;

/// <summary>
/// One slot of the price ring, written in place by the ingest thread: the decoded quote by value and the
/// interned ids of its names, so publishing and consuming allocate nothing.
/// </summary>
public struct PriceSlot
{
    public PriceSlotKind Kind;

    /// <summary>Interned symbol id (see <see cref="Symbols.NameTable"/>).</summary>
    public int SymbolId;

    public int BidSourceId;

    public int AskSourceId;

    public Quote Quote;

    /// <summary>Stopwatch timestamp taken when the message was decoded, for ingest-to-wire latency.</summary>
    public long ReceivedAt;
}
