using Edge.Ingest.Prices;
using Edge.Ingest.Tests.Aeron;
using Edge.Protocol;
using Edge.Protocol.Ingest;

namespace Edge.Ingest.Tests.Prices;

/// <summary>The ingest path end to end: Aeron publisher → UDP → receiver → decoder → names → ring → consumer.</summary>
public sealed class AeronToRingTests
{
    [Test]
    public void Prices_reach_the_ring_in_order_with_feed_status_and_bad_payloads_counted()
    {
        var ring = new RingBuffer<PriceSlot>(1024, ProducerType.Single, WaitStrategyFactory.Create("blocking"));
        var ingest = new PriceIngest(ring, new NameTable(100), new NameTable(10));
        var collector = new SlotCollector();
        using var consumer = ring.CreateProcessor("test-consumer", new SlotCollectorHandler(collector));
        consumer.Start();
        using var receiver = new AeronReceiver<AeronPriceHandler>(AeronTestRig.ReceiverOptions(), new AeronPriceHandler(ingest));
        receiver.Start();
        var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(receiver.LocalEndPoint));
        var message = new byte[IngestSchema.MaxMessageLength];
        const int Count = 3000;
        try
        {
            AeronTestRig.WaitConnected(publisher);
            for (var i = 1; i <= Count; i++)
            {
                var symbol = i % 3 == 0 ? "EUR/USD" : i % 3 == 1 ? "BTC/USD" : "AAPL";
                var length = IngestPriceEncoder.Encode(message, symbol, "LP1", "LP2", new Quote(i, 1, i + 0.5, 2, i * 1000L, (ulong)i));
                Offer(publisher, message.AsSpan(0, length));
                if (i % 1000 == 0)
                {
                    // Hostile payloads in the stream: too short, wrong schema. Counted, dropped, nothing else harmed.
                    Offer(publisher, [1, 2, 3]);
                    var bad = message.AsSpan(0, length).ToArray();
                    bad[4] ^= 0xFF;
                    Offer(publisher, bad);
                }
            }

            Wait.Until(() => collector.Prices == Count, $"{Count} prices in the ring");
        }
        finally
        {
            publisher.Dispose();
        }

        Wait.Until(() => collector.FeedDowns == 1, "feed down after the publisher closed");
        Assert.That(collector.FeedUps, Is.EqualTo(1));
        Assert.That(collector.OutOfOrder, Is.Zero);
        Assert.That(ingest.Counters.Published, Is.EqualTo(Count));
        Assert.That(ingest.Counters.Rejected(IngestDecodeResult.TooShort), Is.EqualTo(3));
        Assert.That(ingest.Counters.Rejected(IngestDecodeResult.UnknownSchema) + ingest.Counters.Rejected(IngestDecodeResult.UnknownTemplate), Is.EqualTo(3));
        Assert.That(ingest.Symbols.Count, Is.EqualTo(3));
        Assert.That(ingest.Symbols.Name(collector.LastSymbolId), Is.EqualTo("EUR/USD"), "message 3000 (a multiple of 3) was the last price");
        Assert.That(collector.LastQuote.BidPrice, Is.EqualTo(Count));
    }

    private static void Offer(AeronPublisher publisher, ReadOnlySpan<byte> message)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (publisher.Offer(message) != AeronOfferResult.Success)
        {
            Assert.That(DateTime.UtcNow, Is.LessThan(deadline), "the publisher stayed back-pressured");
            Thread.Yield();
        }
    }

    private sealed class SlotCollector
    {
        private double _lastBid;
        private int _prices;

        public int Prices => Volatile.Read(ref _prices);

        public int FeedUps;
        public int FeedDowns;
        public int OutOfOrder;
        public int LastSymbolId;
        public Quote LastQuote;

        public void On(ref PriceSlot slot)
        {
            switch (slot.Kind)
            {
                case PriceSlotKind.FeedUp:
                    Interlocked.Increment(ref FeedUps);
                    break;
                case PriceSlotKind.FeedDown:
                    Interlocked.Increment(ref FeedDowns);
                    break;
                default:
                    if (slot.Quote.BidPrice != _lastBid + 1)
                    {
                        OutOfOrder++;
                    }

                    _lastBid = slot.Quote.BidPrice;
                    LastSymbolId = slot.SymbolId;
                    LastQuote = slot.Quote;
                    Interlocked.Increment(ref _prices);
                    break;
            }
        }
    }

    private readonly struct SlotCollectorHandler : IEventHandler<PriceSlot>
    {
        private readonly SlotCollector _collector;

        public SlotCollectorHandler(SlotCollector collector)
        {
            _collector = collector;
        }

        public void OnEvent(ref PriceSlot slot, long sequence, bool endOfBatch) => _collector.On(ref slot);
    }
}
