using Edge.Ingest.Prices;
using Edge.Protocol;
using Edge.Protocol.Ingest;

namespace Edge.Ingest.Tests.Prices;

/// <summary>
/// PriceIngest tells its inline handler where batches end: when the caller says so (once, and only if something was
/// published), after <see cref="PriceIngest.MaxBatch"/> messages (so the ring never fills with slots nobody was told
/// about), and at once for a feed status marker.
/// </summary>
public sealed class PriceIngestBatchTests
{
    [Test]
    public void Batch_ends_come_from_the_caller_from_the_size_bound_and_from_feed_status()
    {
        var (ingest, handler) = IngestOnA64SlotRing();
        var message = new byte[IngestSchema.MaxMessageLength];
        var upstreamSequence = 0UL;
        Span<byte> Next()
        {
            upstreamSequence++;
            return message.AsSpan(0, IngestPriceEncoder.Encode(message, "EUR/USD", "LP1", "LP2", new Quote(1, 1, 2, 2, 1000, upstreamSequence)));
        }

        ingest.OnMessage(Next());
        ingest.OnMessage(Next());
        Assert.That(handler.Published, Is.EqualTo(2));
        Assert.That(handler.BatchEnds, Is.Zero, "no wake-up per message");

        ingest.OnBatchEnd();
        ingest.OnBatchEnd();
        Assert.That(handler.BatchEnds, Is.EqualTo(1), "one end per batch; an empty batch is not passed on");

        Assert.That(ingest.MaxBatch, Is.EqualTo(16), "a quarter of a 64-slot ring");
        for (var i = 0; i < ingest.MaxBatch; i++)
        {
            ingest.OnMessage(Next());
        }

        Assert.That(handler.BatchEnds, Is.EqualTo(2), "a batch of MaxBatch messages ends by itself");

        ingest.OnMessage(Next());
        ingest.OnFeedState(up: false);
        Assert.That(handler.BatchEnds, Is.EqualTo(3), "a feed status marker ends the batch with it");
        Assert.That(handler.LastKind, Is.EqualTo(PriceSlotKind.FeedDown));
    }

    [Test]
    public void A_price_whose_sequence_does_not_grow_is_dropped_and_counted_per_symbol()
    {
        var (ingest, handler) = IngestOnA64SlotRing();
        var message = new byte[IngestSchema.MaxMessageLength];
        PriceIngestOutcome Offer(string symbol, ulong sequence) =>
            ingest.OnMessage(message.AsSpan(0, IngestPriceEncoder.Encode(message, symbol, "LP1", "LP2", new Quote(1, 1, 2, 2, 1000, sequence))));

        Assert.That(Offer("EUR/USD", 0), Is.EqualTo(PriceIngestOutcome.Published), "any first sequence, 0 included");
        Assert.That(Offer("EUR/USD", 5), Is.EqualTo(PriceIngestOutcome.Published), "gaps are fine: conflated upstream");
        Assert.That(Offer("EUR/USD", 5), Is.EqualTo(PriceIngestOutcome.Stale), "a duplicate (a second publisher of the same stream)");
        Assert.That(Offer("EUR/USD", 3), Is.EqualTo(PriceIngestOutcome.Stale), "a step back");
        Assert.That(Offer("USD/JPY", 1), Is.EqualTo(PriceIngestOutcome.Published), "per symbol");
        Assert.That(Offer("EUR/USD", 6), Is.EqualTo(PriceIngestOutcome.Published));
        Assert.That(Offer("EUR/USD", ulong.MaxValue), Is.EqualTo(PriceIngestOutcome.Published));

        Assert.That(ingest.Counters.Stale, Is.EqualTo(2));
        Assert.That(ingest.Counters.Published, Is.EqualTo(5));
        Assert.That(handler.Published, Is.EqualTo(5), "nothing stale reaches the ring");
    }

    /// <summary>A PriceIngest over a 64-slot ring whose inline handler records what it is told.</summary>
    private static (PriceIngest Ingest, RecordingSlotHandler Handler) IngestOnA64SlotRing()
    {
        var ring = new RingBuffer<PriceSlot>(64, ProducerType.Single, WaitStrategyFactory.Create("blocking"));
        var ingest = new PriceIngest(ring, new NameTable(16), new NameTable(16));
        var handler = new RecordingSlotHandler();
        ingest.Published = handler;
        return (ingest, handler);
    }

    private sealed class RecordingSlotHandler : IPublishedSlotHandler
    {
        public int Published { get; private set; }

        public int BatchEnds { get; private set; }

        public PriceSlotKind LastKind { get; private set; }

        public void OnPublished(ref PriceSlot slot, long sequence)
        {
            Published++;
            LastKind = slot.Kind;
        }

        public void OnBatchEnd() => BatchEnds++;
    }
}
