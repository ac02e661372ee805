namespace Edge.Ingest.Tests.Ring;

public sealed class MultiProducerTests
{
    private const int EventsPerProducer = 25_000;

    // Busy-spin gets one consumer: more spinning threads than cores only measures the scheduler.
    [TestCase(2, WaitStrategyKind.Blocking, 2)]
    [TestCase(3, WaitStrategyKind.Yielding, 2)]
    [TestCase(4, WaitStrategyKind.Blocking, 2)]
    [TestCase(4, WaitStrategyKind.Sleeping, 2)]
    [TestCase(2, WaitStrategyKind.BusySpin, 1)]
    public void Each_producers_events_are_seen_once_and_in_its_order_by_every_consumer(int producers, WaitStrategyKind kind, int consumerCount)
    {
        // Sleeping consumers can cost a lap a millisecond (Thread.Sleep(1)); a bigger ring keeps the laps in hundreds
        // so a loaded 2-core machine stays inside the bounded waits.
        var ring = new RingBuffer<TestEvent>(kind == WaitStrategyKind.Sleeping ? 128 : 32, ProducerType.Multi, WaitStrategyFactory.Create(kind));
        var checks = new ProducerOrderCheck[consumerCount];
        for (var i = 0; i < consumerCount; i++)
        {
            checks[i] = new ProducerOrderCheck(producers);
        }

        var consumers = new IEventProcessor[checks.Length];
        for (var i = 0; i < checks.Length; i++)
        {
            consumers[i] = ring.CreateProcessor($"mp-consumer-{i}", new ProducerOrderHandler(checks[i]));
        }

        var total = (long)producers * EventsPerProducer;
        try
        {
            foreach (var consumer in consumers)
            {
                consumer.Start();
            }

            RingTestSupport.RunProducers(producers, id =>
            {
                // Odd producers claim in batches of 1..5 to exercise Next(n) / Publish(lo, hi) under contention.
                var value = 0L;
                var round = 0;
                while (value < EventsPerProducer)
                {
                    var n = id % 2 == 0 ? 1 : (int)Math.Min(1 + (round++ % 5), EventsPerProducer - value);
                    var high = ring.Next(n);
                    var low = high - n + 1;
                    for (var s = low; s <= high; s++)
                    {
                        ref var slot = ref ring[s];
                        slot.ProducerId = id;
                        slot.Value = value++;
                    }

                    ring.Publish(low, high);
                }
            });
            foreach (var consumer in consumers)
            {
                RingTestSupport.WaitForSequence(consumer, total - 1);
            }
        }
        finally
        {
            RingTestSupport.HaltAll(consumers);
        }

        Assert.That(ring.Cursor, Is.EqualTo(total - 1));
        foreach (var check in checks)
        {
            Assert.That(check.FirstError, Is.Null);
            Assert.That(check.Count, Is.EqualTo(total));
            Assert.That(check.NextExpected, Is.All.EqualTo(EventsPerProducer));
        }
    }

    [Test]
    public void TryNext_producers_never_lose_or_duplicate_a_slot()
    {
        const int producers = 3;
        var ring = new RingBuffer<TestEvent>(16, ProducerType.Multi, new YieldingWaitStrategy());
        var check = new ProducerOrderCheck(producers);
        var consumer = ring.CreateProcessor("trynext-consumer", new ProducerOrderHandler(check));
        try
        {
            consumer.Start();
            RingTestSupport.RunProducers(producers, id =>
            {
                var spin = default(SpinWait);
                for (var value = 0L; value < 10_000;)
                {
                    if (!ring.TryNext(out var sequence))
                    {
                        spin.SpinOnce();
                        continue;
                    }

                    ref var slot = ref ring[sequence];
                    slot.ProducerId = id;
                    slot.Value = value++;
                    ring.Publish(sequence);
                }
            });
            RingTestSupport.WaitForSequence(consumer, (producers * 10_000) - 1);
        }
        finally
        {
            RingTestSupport.HaltAll(consumer);
        }

        Assert.That(check.FirstError, Is.Null);
        Assert.That(check.Count, Is.EqualTo(producers * 10_000));
        Assert.That(check.NextExpected, Is.All.EqualTo(10_000));
    }
}
