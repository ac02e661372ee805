using System.Diagnostics;
using Edge.Ingest.Ring;
using Edge.Ingest.Symbols;
using Edge.Protocol.Ingest;

namespace Edge.Ingest.Prices;

/// <summary>
/// Turns ingest messages into ring slots: decode, intern the names, claim a slot, write it in place, publish.
/// Called by one thread, the one that receives (Aeron's receive thread). Never throws on bad input: refusals
/// are counted by reason. When the ring is full the call waits, which holds back the receiver and so, through
/// Aeron flow control, the publisher.
/// </summary>
public sealed class PriceIngest
{
    private readonly RingBuffer<PriceSlot> _ring;

    public PriceIngest(RingBuffer<PriceSlot> ring, NameTable symbols, NameTable sources)
    {
        _ring = ring;
        Symbols = symbols;
        Sources = sources;
    }

    public NameTable Symbols { get; }

    public NameTable Sources { get; }

    public PriceIngestCounters Counters { get; } = new();

    /// <summary>Run on every slot right after it is published, on the ingest thread; set before the feed starts.</summary>
    public IPublishedSlotHandler? Published { get; set; }

    public PriceIngestOutcome OnMessage(ReadOnlySpan<byte> message)
    {
        var result = IngestPriceDecoder.Decode(message, out var view);
        if (result != IngestDecodeResult.Ok)
        {
            Counters.CountRejected(result);
            return PriceIngestOutcome.Rejected;
        }

        var symbolId = Symbols.GetOrAdd(view.Symbol);
        var bidSourceId = Sources.GetOrAdd(view.BidSource);
        var askSourceId = Sources.GetOrAdd(view.AskSource);
        if (symbolId < 0 || bidSourceId < 0 || askSourceId < 0)
        {
            Counters.CountNameTableFull();
            return PriceIngestOutcome.NameTableFull;
        }

        var sequence = _ring.Next();
        ref var slot = ref _ring[sequence];
        slot.Kind = PriceSlotKind.Price;
        slot.SymbolId = symbolId;
        slot.BidSourceId = bidSourceId;
        slot.AskSourceId = askSourceId;
        slot.Quote = view.Quote;
        slot.ReceivedAt = Stopwatch.GetTimestamp();
        _ring.Publish(sequence);
        Published?.OnPublished(ref slot, sequence);
        Counters.CountPublished();
        return PriceIngestOutcome.Published;
    }

    /// <summary>Puts a feed up/down marker into the ring, in order with the prices around it.</summary>
    public void OnFeedState(bool up)
    {
        var sequence = _ring.Next();
        ref var slot = ref _ring[sequence];
        slot.Kind = up ? PriceSlotKind.FeedUp : PriceSlotKind.FeedDown;
        slot.SymbolId = -1;
        slot.ReceivedAt = Stopwatch.GetTimestamp();
        _ring.Publish(sequence);
        Published?.OnPublished(ref slot, sequence);
    }
}
