namespace Edge.Ingest.Tests.Ring;

public sealed class RingBufferTests
{
    [TestCase(0)]
    [TestCase(-8)]
    [TestCase(3)]
    [TestCase(1000)]
    public void Capacity_must_be_a_positive_power_of_two(int capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RingBuffer<TestEvent>(capacity));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new RingBuffer<TestEvent>(capacity, ProducerType.Multi, new BlockingWaitStrategy()));
    }

    [TestCase(ProducerType.Single)]
    [TestCase(ProducerType.Multi)]
    public void Slots_are_reused_by_reference_a_lap_later(ProducerType producerType)
    {
        var ring = new RingBuffer<TestEvent>(4, producerType, new BlockingWaitStrategy());

        var first = ring.Next();
        ring[first].Value = 111;
        ring.Publish(first);

        Assert.That(first, Is.EqualTo(0));
        Assert.That(ring.Cursor, Is.EqualTo(0));
        Assert.That(ring.IsPublished(0), Is.True);
        Assert.That(ring[4].Value, Is.EqualTo(111), "sequence 4 maps to the same slot as 0");
        ring[4].Value = 222;
        Assert.That(ring[0].Value, Is.EqualTo(222), "the indexer returns the slot itself, not a copy");
    }

    [TestCase(ProducerType.Single)]
    [TestCase(ProducerType.Multi)]
    public void Batch_claims_return_the_highest_sequence(ProducerType producerType)
    {
        var ring = new RingBuffer<TestEvent>(16, producerType, new BlockingWaitStrategy());

        var high = ring.Next(5);
        var low = high - (5 - 1);
        for (var s = low; s <= high; s++)
        {
            ring[s].Value = s;
        }

        ring.Publish(low, high);

        Assert.That((low, high), Is.EqualTo((0L, 4L)));
        Assert.That(ring.Cursor, Is.EqualTo(4));
        for (var s = low; s <= high; s++)
        {
            Assert.That(ring.IsPublished(s), Is.True, $"sequence {s}");
        }

        Assert.That(ring.IsPublished(5), Is.False);
        Assert.That(ring.Next(), Is.EqualTo(5));
    }

    [TestCase(ProducerType.Single, 0)]
    [TestCase(ProducerType.Single, 17)]
    [TestCase(ProducerType.Multi, 0)]
    [TestCase(ProducerType.Multi, -1)]
    public void Claims_outside_one_to_capacity_are_rejected(ProducerType producerType, int n)
    {
        var ring = new RingBuffer<TestEvent>(16, producerType, new BlockingWaitStrategy());
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.Next(n));
        Assert.Throws<ArgumentOutOfRangeException>(() => ring.TryNext(n, out _));
    }

    [TestCase(ProducerType.Single)]
    [TestCase(ProducerType.Multi)]
    public void TryNext_fails_when_the_slowest_consumer_is_a_lap_behind_and_counts_it(ProducerType producerType)
    {
        var ring = new RingBuffer<TestEvent>(8, producerType, new BlockingWaitStrategy());
        var consumer = new Sequence();
        ring.AddGatingSequences(consumer);

        for (var i = 0; i < 8; i++)
        {
            Assert.That(ring.TryNext(out var sequence), Is.True);
            ring.Publish(sequence);
        }

        Assert.That(ring.RemainingCapacity, Is.Zero);
        Assert.That(ring.TryNext(out _), Is.False);
        Assert.That(ring.TryNext(1, out _), Is.False);
        Assert.That(ring.GetMetrics().TryNextFailures, Is.EqualTo(2));
        Assert.That(ring.GetMetrics().Depth, Is.EqualTo(8));

        consumer.SetValue(2); // the consumer finished 0..2: three slots free
        Assert.That(ring.RemainingCapacity, Is.EqualTo(3));
        Assert.That(ring.TryNext(4, out _), Is.False);
        Assert.That(ring.TryNext(3, out var high), Is.True);
        Assert.That(high, Is.EqualTo(10));
        Assert.That(ring.GetMetrics().FullRingWaits, Is.Zero, "TryNext never waits");
    }

    [Test]
    public void Multi_producer_barrier_stops_at_the_first_unpublished_slot()
    {
        var ring = new RingBuffer<TestEvent>(8, ProducerType.Multi, new BusySpinWaitStrategy());
        var barrier = ring.NewBarrier();
        var a = ring.Next();
        var b = ring.Next();
        var c = ring.Next();
        ring.Publish(a);
        ring.Publish(c);

        Assert.That(ring.Cursor, Is.EqualTo(2), "multi-producer cursor is the highest claim");
        Assert.That(ring.IsPublished(b), Is.False);
        Assert.That(barrier.WaitFor(0), Is.EqualTo(0), "1 is claimed but unpublished, so 2 is not readable yet");
        Assert.That(barrier.WaitFor(1), Is.EqualTo(0), "below the requested sequence: not yet");

        ring.Publish(b);
        Assert.That(barrier.WaitFor(1), Is.EqualTo(2));
    }

    [Test]
    public void Alerted_barrier_returns_below_the_requested_sequence_until_cleared()
    {
        var ring = new RingBuffer<TestEvent>(8);
        var barrier = ring.NewBarrier();
        barrier.Alert();
        Assert.That(barrier.IsAlerted, Is.True);
        Assert.That(barrier.WaitFor(0), Is.LessThan(0));

        barrier.ClearAlert();
        var sequence = ring.Next();
        ring.Publish(sequence);
        Assert.That(barrier.WaitFor(0), Is.EqualTo(0));
    }

    [Test]
    public void Creating_a_chain_leaves_only_the_end_of_the_chain_gating_the_producer()
    {
        var ring = new RingBuffer<TestEvent>(8);
        var first = ring.CreateProcessor("first", new InOrderHandler(new SequenceCheck()));
        var second = ring.CreateProcessor("second", new InOrderHandler(new SequenceCheck()), first);

        for (var i = 0; i < 8; i++)
        {
            ring.Publish(ring.Next());
        }

        first.Sequence.SetValue(7); // the first stage is done; the second has not started
        Assert.That(ring.RemainingCapacity, Is.Zero, "the second stage still holds every slot");
        Assert.That(ring.GetMetrics().MinimumGatingSequence, Is.EqualTo(-1));
        Assert.That(second.Lag, Is.EqualTo(8));
        Assert.That(first.Lag, Is.Zero);
        Assert.That(ring.TryNext(out _), Is.False);
    }

    [Test]
    public void Consumer_added_to_a_running_ring_starts_at_the_cursor()
    {
        var ring = new RingBuffer<TestEvent>(8);
        for (var i = 0; i < 5; i++)
        {
            ring.Publish(ring.Next());
        }

        var late = ring.CreateProcessor("late", new InOrderHandler(new SequenceCheck()));
        Assert.That(late.Sequence.Value, Is.EqualTo(4));
        Assert.That(ring.RemainingCapacity, Is.EqualTo(8));
    }
}
