namespace Edge.Ingest.Tests.Ring;

public sealed class SingleProducerTests
{
    private const long Events = 100_000;

    // Busy-spin gets one consumer: with more spinning threads than the 2 cores, every lap of a tiny ring waits
    // for the scheduler to rotate the spinners out — exactly the oversubscription it must never run in.
    // Sleeping gets 32 000 events (2 000 laps): a consumer that backs off into Thread.Sleep(1) can cost a lap a
    // millisecond or more, and 6 250 such laps overran the 30 s bound on a 2-core machine with both cores kept busy.
    private static readonly TestCaseData[] Topologies =
    [
        new(WaitStrategyKind.Blocking, 3, Events),
        new(WaitStrategyKind.Sleeping, 3, 32_000L),
        new(WaitStrategyKind.Yielding, 3, Events),
        new(WaitStrategyKind.BusySpin, 1, Events),
    ];

    [TestCaseSource(nameof(Topologies))]
    public void Every_consumer_sees_every_event_once_in_order_through_thousands_of_laps(WaitStrategyKind kind, int consumerCount, long events)
    {
        // 16 slots, 100 000 events: 6 250 laps (Sleeping: 2 000), the producer constantly waiting on the slowest consumer.
        var ring = new RingBuffer<TestEvent>(16, ProducerType.Single, WaitStrategyFactory.Create(kind));
        var checks = new SequenceCheck[consumerCount];
        for (var i = 0; i < consumerCount; i++)
        {
            checks[i] = new SequenceCheck();
        }

        var consumers = new IEventProcessor[checks.Length];
        for (var i = 0; i < checks.Length; i++)
        {
            consumers[i] = ring.CreateProcessor($"multicast-{i}", new InOrderHandler(checks[i]));
        }

        try
        {
            foreach (var consumer in consumers)
            {
                consumer.Start();
            }

            RingTestSupport.RunProducers(1, _ => RingTestSupport.PublishSequenceValues(ring, events));
            foreach (var consumer in consumers)
            {
                RingTestSupport.WaitForSequence(consumer, events - 1);
            }
        }
        finally
        {
            RingTestSupport.HaltAll(consumers);
        }

        foreach (var check in checks)
        {
            Assert.That(check.FirstError, Is.Null);
            Assert.That(check.Count, Is.EqualTo(events));
            Assert.That(check.LastSequence, Is.EqualTo(events - 1));
            Assert.That(check.EndOfBatchCount, Is.InRange(1, events));
        }
    }

    [Test]
    public void Batch_publishing_is_seen_as_individual_events_in_order()
    {
        var ring = new RingBuffer<TestEvent>(32, ProducerType.Single, new YieldingWaitStrategy());
        var check = new SequenceCheck();
        var consumer = ring.CreateProcessor("batch-consumer", new InOrderHandler(check));
        const int batches = 5_000;
        long published = 0;
        try
        {
            consumer.Start();
            RingTestSupport.RunProducers(1, _ =>
            {
                for (var b = 0; b < batches; b++)
                {
                    var n = 1 + (b % 7);
                    var high = ring.Next(n);
                    for (var s = high - n + 1; s <= high; s++)
                    {
                        ring[s].Value = s;
                    }

                    ring.Publish(high - n + 1, high);
                    published = high + 1;
                }
            });
            RingTestSupport.WaitForSequence(consumer, published - 1);
        }
        finally
        {
            RingTestSupport.HaltAll(consumer);
        }

        Assert.That(check.FirstError, Is.Null);
        Assert.That(check.Count, Is.EqualTo(published));
    }
}
