namespace Edge.Ingest.Tests.Ring;

public sealed class ExceptionPolicyTests
{
    private const long Events = 5_000;

    [TestCase(false)]
    [TestCase(true)]
    public void A_throwing_handler_is_reported_counted_and_the_rest_still_processed(bool exceptionHandlerThrowsToo)
    {
        var ring = new RingBuffer<TestEvent>(64);
        var check = new SequenceCheck();
        var downstreamCheck = new SequenceCheck();
        var reports = new RecordingExceptionHandler(exceptionHandlerThrowsToo);
        var failing = ring.CreateProcessor("failing", new FailingHandler(check), reports);
        var downstream = ring.CreateProcessor("after-failing", new InOrderHandler(downstreamCheck), failing);
        try
        {
            failing.Start();
            downstream.Start();
            RingTestSupport.PublishSequenceValues(ring, Events);
            RingTestSupport.WaitForSequence(downstream, Events - 1);
            Assert.That(failing.IsRunning, Is.True, "a failing handler does not stop its processor");
        }
        finally
        {
            RingTestSupport.HaltAll(failing, downstream);
        }

        var expectedFailures = new List<long>();
        for (var s = 0L; s < Events; s++)
        {
            if (FailingHandler.Fails(s))
            {
                expectedFailures.Add(s);
            }
        }

        Assert.Multiple(() =>
        {
            Assert.That(check.FirstError, Is.Null);
            Assert.That(check.Count, Is.EqualTo(Events - expectedFailures.Count));
            Assert.That(failing.ExceptionCount, Is.EqualTo(expectedFailures.Count));
            Assert.That(failing.GetMetrics().ExceptionCount, Is.EqualTo(expectedFailures.Count));
            Assert.That(reports.Reports.Select(r => r.Sequence), Is.EqualTo(expectedFailures));
            Assert.That(reports.Reports.Select(r => r.SlotValue), Is.EqualTo(expectedFailures), "the failing slot is passed on");
            Assert.That(reports.Reports.Select(r => r.Processor), Is.All.EqualTo("failing"));
            Assert.That(reports.Reports[0].Message, Is.EqualTo("handler failure at 3"));
            Assert.That(downstreamCheck.FirstError, Is.Null);
            Assert.That(downstreamCheck.Count, Is.EqualTo(Events), "the next stage still sees every event");
        });
    }

    [Test]
    public void Default_exception_handler_writes_to_standard_error()
    {
        var ring = new RingBuffer<TestEvent>(16);
        var check = new SequenceCheck();
        var failing = ring.CreateProcessor("default-policy", new FailingHandler(check));
        var original = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            failing.Start();
            RingTestSupport.PublishSequenceValues(ring, 20);
            RingTestSupport.WaitForSequence(failing, 19);
        }
        finally
        {
            RingTestSupport.HaltAll(failing);
            Console.SetError(original);
        }

        Assert.That(failing.ExceptionCount, Is.EqualTo(2));
        Assert.That(captured.ToString(), Does.Contain("'default-policy'").And.Contain("sequence 13").And.Contain("handler failure at 13"));
    }
}
