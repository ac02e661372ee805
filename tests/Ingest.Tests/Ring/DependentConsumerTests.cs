namespace Edge.Ingest.Tests.Ring;

public sealed class DependentConsumerTests
{
    private const long Events = 60_000;

    // Busy-spin runs four spinning threads on two cores here, so it gets a ring that laps 60 times, not 3 750.
    // Sleeping laps 940 times: a stage that backs off into Thread.Sleep(1) can cost a lap a millisecond or more on a
    // loaded 2-core machine.
    private static readonly TestCaseData[] Rings =
    [
        new(WaitStrategyKind.Blocking, 16),
        new(WaitStrategyKind.Sleeping, 64),
        new(WaitStrategyKind.Yielding, 16),
        new(WaitStrategyKind.BusySpin, 1024),
    ];

    [TestCaseSource(nameof(Rings))]
    public void A_chained_stage_never_overtakes_the_stages_before_it(WaitStrategyKind kind, int capacity)
    {
        // Like the snapshot-cache updater followed by the fan-out: 1 -> 2 -> 3.
        var ring = new RingBuffer<TestEvent>(capacity, ProducerType.Single, WaitStrategyFactory.Create(kind));
        var checks = new[] { new SequenceCheck(), new SequenceCheck(), new SequenceCheck() };
        var stage1 = ring.CreateProcessor("stage-1", new StageHandler(checks[0], marks: true, expectsMark: false));
        var stage2 = ring.CreateProcessor("stage-2", new StageHandler(checks[1], marks: false, expectsMark: true, stage1.Sequence), stage1);
        var stage3 = ring.CreateProcessor(
            "stage-3",
            new StageHandler(checks[2], marks: false, expectsMark: true, stage1.Sequence, stage2.Sequence),
            stage2);

        PublishThroughAndCheck(ring, checks, stage3, stage2, stage1);
    }

    [Test]
    public void A_stage_after_two_parallel_stages_waits_for_both()
    {
        var ring = new RingBuffer<TestEvent>(32, ProducerType.Multi, new BlockingWaitStrategy());
        var checks = new[] { new SequenceCheck(), new SequenceCheck(), new SequenceCheck() };
        var left = ring.CreateProcessor("left", new StageHandler(checks[0], marks: true, expectsMark: false));
        var right = ring.CreateProcessor("right", new StageHandler(checks[1], marks: false, expectsMark: false));
        var join = ring.CreateProcessor(
            "join",
            new StageHandler(checks[2], marks: false, expectsMark: true, left.Sequence, right.Sequence),
            left,
            right);

        PublishThroughAndCheck(ring, checks, join, left, right);
    }

    /// <summary>
    /// Starts the stages (the last one first), publishes <see cref="Events"/> values, waits until the last stage has
    /// them all and halts every stage; then each stage's check saw every event, in order, after the stages it follows.
    /// </summary>
    private static void PublishThroughAndCheck(RingBuffer<TestEvent> ring, SequenceCheck[] checks, params IEventProcessor[] lastStageFirst)
    {
        try
        {
            foreach (var stage in lastStageFirst)
            {
                stage.Start();
            }

            RingTestSupport.RunProducers(1, _ => RingTestSupport.PublishSequenceValues(ring, Events));
            RingTestSupport.WaitForSequence(lastStageFirst[0], Events - 1);
        }
        finally
        {
            RingTestSupport.HaltAll(lastStageFirst);
        }

        foreach (var check in checks)
        {
            Assert.That(check.FirstError, Is.Null);
            Assert.That(check.Count, Is.EqualTo(Events));
        }
    }
}
