namespace Edge.Ingest.Tests.Ring;

public sealed class ProcessorLifecycleTests
{
    private static readonly WaitStrategyKind[] Strategies = RingTestSupport.AllWaitStrategies;

    [TestCaseSource(nameof(Strategies))]
    public void Halted_processor_restarts_after_its_last_sequence(WaitStrategyKind kind)
    {
        var ring = new RingBuffer<TestEvent>(256, ProducerType.Single, WaitStrategyFactory.Create(kind));
        var check = new SequenceCheck();
        var consumer = ring.CreateProcessor("restartable", new InOrderHandler(check));
        try
        {
            consumer.Start();
            RingTestSupport.PublishSequenceValues(ring, 100);
            RingTestSupport.WaitForSequence(consumer, 99);

            Assert.That(consumer.HaltAndJoin(RingTestSupport.Generous), Is.True, "halt stops a waiting processor");
            Assert.That(consumer.IsRunning, Is.False);

            // Its thread has ended, so nothing can move its sequence while these are published.
            RingTestSupport.PublishSequenceValues(ring, 100);
            Assert.That(consumer.Sequence.Value, Is.EqualTo(99));
            Assert.That(consumer.Lag, Is.EqualTo(100));

            consumer.Start();
            Assert.That(consumer.IsRunning, Is.True);
            RingTestSupport.WaitForSequence(consumer, 199);
        }
        finally
        {
            RingTestSupport.HaltAll(consumer);
        }

        Assert.That(check.FirstError, Is.Null, "nothing repeated or skipped across the restart");
        Assert.That(check.Count, Is.EqualTo(200));
    }

    [TestCaseSource(nameof(Strategies))]
    public void Halt_stops_a_processor_waiting_behind_an_upstream_stage(WaitStrategyKind kind)
    {
        var ring = new RingBuffer<TestEvent>(8, ProducerType.Multi, WaitStrategyFactory.Create(kind));
        var upstream = ring.CreateProcessor("upstream", new InOrderHandler(new SequenceCheck()));
        var downstream = ring.CreateProcessor("downstream", new InOrderHandler(new SequenceCheck()), upstream);
        try
        {
            downstream.Start(); // upstream never starts: downstream waits on it forever unless halted
            RingTestSupport.PublishSequenceValues(ring, 3);
            Assert.That(downstream.IsRunning, Is.True);
        }
        finally
        {
            RingTestSupport.HaltAll(downstream, upstream);
        }

        Assert.That(downstream.IsRunning, Is.False);
        Assert.That(downstream.Sequence.Value, Is.EqualTo(-1));
    }

    [Test]
    public void Runs_on_a_named_background_thread_and_refuses_a_second_start()
    {
        var ring = new RingBuffer<TestEvent>(8);
        using var gate = new ManualResetEventSlim(true);
        using var holding = new ManualResetEventSlim(false);
        var thread = new Thread?[1];
        var consumer = ring.CreateProcessor("ring-fanout", new GatedHandler(gate, holding, new SequenceCheck(), thread));
        try
        {
            consumer.Start();
            Assert.Throws<InvalidOperationException>(consumer.Start);
            RingTestSupport.PublishSequenceValues(ring, 1);
            RingTestSupport.WaitForSequence(consumer, 0);

            // Read while the processor (so its thread) is still alive.
            Assert.That(thread[0], Is.Not.Null);
            Assert.That(thread[0]!.Name, Is.EqualTo("ring-fanout"));
            Assert.That(thread[0]!.IsBackground, Is.True);
            Assert.That(thread[0], Is.Not.SameAs(Thread.CurrentThread));
        }
        finally
        {
            RingTestSupport.HaltAll(consumer);
        }

        Assert.That(thread[0]!.IsAlive, Is.False, "the processor's thread ended on halt");
    }

    [Test]
    public void Halting_a_processor_that_never_started_does_nothing()
    {
        var ring = new RingBuffer<TestEvent>(8);
        var consumer = ring.CreateProcessor("never-started", new InOrderHandler(new SequenceCheck()));
        consumer.Halt();
        Assert.That(consumer.Join(TimeSpan.Zero), Is.True);
        Assert.That(consumer.IsRunning, Is.False);
        consumer.Dispose();
    }
}
