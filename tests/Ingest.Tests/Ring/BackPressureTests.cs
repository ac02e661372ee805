namespace Edge.Ingest.Tests.Ring;

public sealed class BackPressureTests
{
    [TestCase(ProducerType.Single, WaitStrategyKind.Blocking)]
    [TestCase(ProducerType.Multi, WaitStrategyKind.Blocking)]
    [TestCase(ProducerType.Single, WaitStrategyKind.Sleeping)]
    public void A_full_ring_makes_the_producer_wait_counts_it_and_shows_depth_and_lag(ProducerType producerType, WaitStrategyKind kind)
    {
        const int capacity = 8;
        const int events = 20;
        var ring = new RingBuffer<TestEvent>(capacity, producerType, WaitStrategyFactory.Create(kind));
        using var gate = new ManualResetEventSlim(false);
        using var holding = new ManualResetEventSlim(false);
        var check = new SequenceCheck();
        var consumer = ring.CreateProcessor("gated", new GatedHandler(gate, holding, check, new Thread?[1]));
        var producerDone = false;
        var producer = new Thread(() =>
        {
            RingTestSupport.PublishSequenceValues(ring, events);
            Volatile.Write(ref producerDone, true);
        })
        { Name = "test-producer", IsBackground = true };
        try
        {
            consumer.Start();
            producer.Start();

            // The consumer sits on event 0, so the producer can fill slots 0..7 and must then wait for slot 8.
            Assert.That(holding.Wait(RingTestSupport.Generous), Is.True, "consumer took the first event");
            Edge.Tests.Shared.Eventually.WaitUntil(() => ring.FullRingWaits >= 1, "the producer hit the full ring");

            var metrics = ring.GetMetrics();
            var consumerMetrics = consumer.GetMetrics();
            Assert.Multiple(() =>
            {
                Assert.That(Volatile.Read(ref producerDone), Is.False, "the producer is still waiting");
                Assert.That(metrics.FullRingWaits, Is.EqualTo(1), "one wait episode so far");
                Assert.That(metrics.Cursor, Is.EqualTo(capacity - 1));
                Assert.That(metrics.MinimumGatingSequence, Is.EqualTo(-1));
                Assert.That(metrics.Depth, Is.EqualTo(capacity));
                Assert.That(consumerMetrics.Lag, Is.EqualTo(capacity));
                Assert.That(consumerMetrics.Sequence, Is.EqualTo(-1));
                Assert.That(consumerMetrics.IsRunning, Is.True);
                Assert.That(consumerMetrics.Name, Is.EqualTo("gated"));
            });

            gate.Set();
            Assert.That(producer.Join(RingTestSupport.Generous), Is.True, "producer finished once the consumer moved");
            RingTestSupport.WaitForSequence(consumer, events - 1);
        }
        finally
        {
            gate.Set();
            if (producer.ThreadState != ThreadState.Unstarted)
            {
                Assert.That(producer.Join(RingTestSupport.Generous), Is.True);
            }

            RingTestSupport.HaltAll(consumer);
        }

        Assert.That(check.FirstError, Is.Null);
        Assert.That(check.Count, Is.EqualTo(events));
        Assert.That(ring.GetMetrics().Depth, Is.Zero);
        Assert.That(consumer.Lag, Is.Zero);
        Assert.That(ring.FullRingWaits, Is.GreaterThanOrEqualTo(1));
    }
}
