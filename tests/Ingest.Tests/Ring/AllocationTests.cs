using Edge.Ingest.Ring;

namespace Edge.Ingest.Tests.Ring;

public sealed class AllocationTests
{
    private const int Warmup = 20_000;
    private const int Measured = 100_000;

    [TestCase(ProducerType.Single, WaitStrategyKind.Blocking)]
    [TestCase(ProducerType.Single, WaitStrategyKind.Yielding)]
    [TestCase(ProducerType.Multi, WaitStrategyKind.Blocking)]
    [TestCase(ProducerType.Multi, WaitStrategyKind.Sleeping)]
    public void Publishing_and_consuming_allocate_nothing_in_steady_state(ProducerType producerType, WaitStrategyKind kind)
    {
        // Small ring: the measured stretch includes full-ring waits and consumer sleeps, not just the fast path.
        var ring = new RingBuffer<TestEvent>(64, producerType, WaitStrategyFactory.Create(kind));
        var consumerAllocated = new long[2];
        var consumer = ring.CreateProcessor("alloc-probe", new AllocationProbeHandler(Warmup, Warmup + Measured, consumerAllocated));
        long producerAllocated = -1;
        try
        {
            consumer.Start();
            RingTestSupport.RunProducers(1, _ =>
            {
                RingTestSupport.PublishSequenceValues(ring, Warmup);
                var before = GC.GetAllocatedBytesForCurrentThread();
                RingTestSupport.PublishSequenceValues(ring, Measured);
                producerAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
                RingTestSupport.PublishSequenceValues(ring, 1);
            });
            RingTestSupport.WaitForSequence(consumer, Warmup + Measured);
        }
        finally
        {
            RingTestSupport.HaltAll(consumer);
        }

        Assert.That(producerAllocated, Is.Zero, "bytes the producer allocated for 100 000 claims and publishes");
        Assert.That(consumerAllocated[1] - consumerAllocated[0], Is.Zero, "bytes the consumer thread allocated for 100 000 events");
    }
}
