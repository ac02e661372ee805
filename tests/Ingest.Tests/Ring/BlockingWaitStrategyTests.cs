namespace Edge.Ingest.Tests.Ring;

public sealed class BlockingWaitStrategyTests
{
    private const int RoundTrips = 3_000;

    [TestCase(0)]
    [TestCase(BlockingWaitStrategy.DefaultSpinTries)]
    public void Never_loses_a_wake_up_across_thousands_of_sleeps(int spinTries)
    {
        // One event in flight, both ways: each side goes to sleep on nearly every hand-off, and a single lost
        // wake-up would leave the ping-pong stuck (the producer thread would not finish in time).
        var pingStrategy = new BlockingWaitStrategy(spinTries);
        var pongStrategy = new BlockingWaitStrategy(spinTries);
        var ping = new RingBuffer<TestEvent>(8, ProducerType.Single, pingStrategy);
        var pong = new RingBuffer<TestEvent>(8, ProducerType.Single, pongStrategy);
        var pongRead = new Sequence();
        pong.AddGatingSequences(pongRead);
        var pongBarrier = pong.NewBarrier();
        var echo = ping.CreateProcessor("echo", new EchoHandler(pong));
        var mismatches = 0;
        var pinger = new Thread(() =>
        {
            for (var i = 0; i < RoundTrips; i++)
            {
                var sequence = ping.Next();
                ping[sequence].Value = i;
                ping.Publish(sequence);

                var expected = pongRead.Value + 1;
                while (pongBarrier.WaitFor(expected) < expected)
                {
                    if (pongBarrier.IsAlerted)
                    {
                        return;
                    }
                }

                if (pong[expected].Value != i)
                {
                    mismatches++;
                }

                pongRead.SetValue(expected);
            }
        })
        { Name = "test-pinger", IsBackground = true };
        bool finished;
        try
        {
            echo.Start();
            pinger.Start();
            finished = pinger.Join(RingTestSupport.Generous);
        }
        finally
        {
            pongBarrier.Alert(); // frees the pinger if a wake-up was lost
            if (pinger.ThreadState != ThreadState.Unstarted)
            {
                pinger.Join(RingTestSupport.Generous);
            }

            RingTestSupport.HaltAll(echo);
        }

        Assert.That(finished, Is.True, "the ping-pong stalled: a wake-up was lost");
        Assert.That(mismatches, Is.Zero);
        Assert.That(pongRead.Value, Is.EqualTo(RoundTrips - 1));
        if (spinTries == 0)
        {
            Assert.That(pingStrategy.Sleeps + pongStrategy.Sleeps, Is.GreaterThan(RoundTrips), "the waits really went to sleep");
        }
    }
}
