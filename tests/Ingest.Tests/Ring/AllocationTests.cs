namespace Edge.Ingest.Tests.Ring;

public sealed class AllocationTests
{
    private const int Warmup = 20_000;
    private const int Measured = 100_000;

    // Two back-to-back windows per thread, one of which must be exactly 0 B: a one-off allocation by the runtime
    // lands in one of them (tiered PGO's, 56 B, is turned off for this project); what the ring allocates per event
    // shows in both.
    [TestCase(ProducerType.Single, WaitStrategyKind.Blocking)]
    [TestCase(ProducerType.Single, WaitStrategyKind.Yielding)]
    [TestCase(ProducerType.Multi, WaitStrategyKind.Blocking)]
    [TestCase(ProducerType.Multi, WaitStrategyKind.Sleeping)]
    public void Publishing_and_consuming_allocate_nothing_in_steady_state(ProducerType producerType, WaitStrategyKind kind)
    {
        // Small ring: the measured stretch includes full-ring waits and consumer sleeps, not just the fast path.
        var ring = new RingBuffer<TestEvent>(64, producerType, WaitStrategyFactory.Create(kind));
        var consumerAllocated = new long[3];
        var consumer = ring.CreateProcessor("alloc-probe", new AllocationProbeHandler(Warmup, Warmup + Measured, consumerAllocated));
        var producerAllocated = new long[2];
        try
        {
            consumer.Start();
            RingTestSupport.RunProducers(1, _ =>
            {
                RingTestSupport.PublishSequenceValues(ring, Warmup);
                for (var window = 0; window < producerAllocated.Length; window++)
                {
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    RingTestSupport.PublishSequenceValues(ring, Measured / 2);
                    producerAllocated[window] = GC.GetAllocatedBytesForCurrentThread() - before;
                }

                RingTestSupport.PublishSequenceValues(ring, 1);
            });
            RingTestSupport.WaitForSequence(consumer, Warmup + Measured);
        }
        finally
        {
            RingTestSupport.HaltAll(consumer);
        }

        var consumerWindows = new[] { consumerAllocated[1] - consumerAllocated[0], consumerAllocated[2] - consumerAllocated[1] };
        Assert.That(
            Math.Min(producerAllocated[0], producerAllocated[1]),
            Is.Zero,
            $"bytes the producer allocated for 50 000 claims and publishes (windows: {producerAllocated[0]} B, {producerAllocated[1]} B)");
        Assert.That(
            Math.Min(consumerWindows[0], consumerWindows[1]),
            Is.Zero,
            $"bytes the consumer thread allocated for 50 000 events (windows: {consumerWindows[0]} B, {consumerWindows[1]} B)");
    }
}
