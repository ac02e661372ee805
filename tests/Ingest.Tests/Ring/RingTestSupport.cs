using static Edge.Tests.Shared.Eventually;

namespace Edge.Ingest.Tests.Ring;

/// <summary>Condition waits with generous limits, and a producer thread that is always joined.</summary>
internal static class RingTestSupport
{
    /// <summary>Long enough for a loaded 2-core machine; only reached when something is broken.</summary>
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    public static readonly WaitStrategyKind[] AllWaitStrategies =
        [WaitStrategyKind.Blocking, WaitStrategyKind.Sleeping, WaitStrategyKind.Yielding, WaitStrategyKind.BusySpin];

    public static void WaitForSequence(IEventProcessor processor, long sequence) =>
        WaitUntil(() => processor.Sequence.Value >= sequence, $"'{processor.Name}' reached sequence {sequence}");

    /// <summary>Publishes <c>Value = sequence</c> for <paramref name="count"/> events from the calling thread.</summary>
    public static void PublishSequenceValues(RingBuffer<TestEvent> ring, long count)
    {
        for (var i = 0L; i < count; i++)
        {
            var sequence = ring.Next();
            ref var slot = ref ring[sequence];
            slot.Value = sequence;
            slot.ProducerId = 0;
            slot.Stage1Mark = -1;
            ring.Publish(sequence);
        }
    }

    /// <summary>Runs producers on their own threads and joins every one of them, whatever happens.</summary>
    public static void RunProducers(int producerCount, Action<int> produce)
    {
        var failures = new Exception?[producerCount];
        var threads = new Thread[producerCount];
        for (var p = 0; p < producerCount; p++)
        {
            var id = p;
            threads[p] = new Thread(() =>
            {
                try
                {
                    produce(id);
                }
                catch (Exception e)
                {
                    failures[id] = e;
                }
            })
            { Name = $"test-producer-{p}", IsBackground = true };
        }

        try
        {
            foreach (var thread in threads)
            {
                thread.Start();
            }
        }
        finally
        {
            foreach (var thread in threads)
            {
                if (thread.ThreadState != ThreadState.Unstarted)
                {
                    Assert.That(thread.Join(Generous), Is.True, $"{thread.Name} did not finish");
                }
            }
        }

        Assert.That(failures, Is.All.Null, "a producer failed");
    }

    /// <summary>Halts and joins every processor, asserting each one stopped.</summary>
    public static void HaltAll(params IEventProcessor[] processors)
    {
        foreach (var processor in processors)
        {
            processor.Halt();
        }

        foreach (var processor in processors)
        {
            Assert.That(processor.Join(Generous), Is.True, $"'{processor.Name}' did not stop");
        }
    }
}
