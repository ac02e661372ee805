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
/// <remarks>
/// Batches: the caller says where its batch ends (<see cref="OnBatchEnd"/>, once per receive batch), and the
/// <see cref="Published"/> handler wakes its consumers then, not per message. A batch is also ended after
/// <see cref="MaxBatch"/> messages, so that a huge receive batch can never fill the ring with slots no consumer
/// was told about (the producer would wait for them forever), and at every feed status change.
/// </remarks>
public sealed class PriceIngest
{
    private readonly RingBuffer<PriceSlot> _ring;

    // Per symbol id: the lowest upstream sequence still accepted (one past the last published; 0: none yet).
    private readonly ulong[] _nextSequence;
    private int _unannounced;

    public PriceIngest(RingBuffer<PriceSlot> ring, NameTable symbols, NameTable sources)
    {
        _ring = ring;
        Symbols = symbols;
        Sources = sources;
        _nextSequence = new ulong[symbols.Capacity];
        MaxBatch = Math.Max(1, Math.Min(256, ring.Capacity / 4));
    }

    /// <summary>Messages after which a batch ends even if the caller has not said so (at most a quarter of the ring).</summary>
    public int MaxBatch { get; }

    public NameTable Symbols { get; }

    public NameTable Sources { get; }

    public PriceIngestCounters Counters { get; } = new();

    /// <summary>Run on every slot right after it is published, on the ingest thread; set before the feed starts.</summary>
    public IPublishedSlotHandler? Published { get; set; }

    /// <summary>
    /// Set when a ring consumer runs on the ingest thread itself (the receive duty on an event loop): told when the
    /// ring is full, after the batch so far is published, so that it can drain before the claim waits.
    /// </summary>
    public IFullRingHandler? FullRing { get; set; }

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

        // Clients are promised that a symbol's sequence only grows: an update at or below the last one published (a
        // second, redundant publisher; a replay; an upstream that restarted its sequences) is dropped here, once for all.
        var upstreamSequence = view.Quote.Sequence;
        if (upstreamSequence < _nextSequence[symbolId])
        {
            Counters.CountStale();
            return PriceIngestOutcome.Stale;
        }

        _nextSequence[symbolId] = upstreamSequence + 1;
        var sequence = Claim();
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
        if (++_unannounced >= MaxBatch)
        {
            OnBatchEnd();
        }

        return PriceIngestOutcome.Published;
    }

    /// <summary>The caller's batch has ended: the <see cref="Published"/> handler publishes and wakes its consumers once.</summary>
    public void OnBatchEnd()
    {
        if (_unannounced == 0)
        {
            return;
        }

        _unannounced = 0;
        Published?.OnBatchEnd();
    }

    /// <summary>Puts a feed up/down marker into the ring, in order with the prices around it.</summary>
    public void OnFeedState(bool up)
    {
        var sequence = Claim();
        ref var slot = ref _ring[sequence];
        slot.Kind = up ? PriceSlotKind.FeedUp : PriceSlotKind.FeedDown;
        slot.SymbolId = -1;
        slot.ReceivedAt = Stopwatch.GetTimestamp();
        _ring.Publish(sequence);
        Published?.OnPublished(ref slot, sequence);
        // Rare, and may come from the thread that disposes the receiver: end the batch here, with the marker in it.
        _unannounced++;
        OnBatchEnd();
    }

    private long Claim()
    {
        if (FullRing is not { } fullRing)
        {
            return _ring.Next();
        }

        if (_ring.TryNext(out var sequence))
        {
            return sequence;
        }

        // Publish what this batch holds so far (a consumer can only take published, encoded slots), let the
        // same-thread consumer drain it, then wait for the others as usual.
        OnBatchEnd();
        fullRing.OnRingFull();
        return _ring.Next();
    }
}
