namespace Edge.Ingest.Tests.Aeron;

/// <summary>The receiver with a spinning receive wait (yielding, busy-spin) over real UDP on 127.0.0.1.</summary>
public sealed class AeronSpinningReceiveTests
{
    [TestCase(AeronReceiveWait.Yielding)]
    [TestCase(AeronReceiveWait.BusySpin)]
    public void Messages_arrive_in_order_and_the_feed_ends_cleanly(AeronReceiveWait wait)
    {
        var handler = new RecordingHandler();
        var errors = new List<Exception>();
        using var receiver = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(o => o.ReceiveWait = wait), handler, e =>
        {
            lock (errors)
            {
                errors.Add(e);
            }
        });
        receiver.Start();
        AeronTestRig.PublishAllThenClose(receiver.LocalEndPoint, handler, 3000, sequence => 8 + (int)(sequence % 300));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 3000)));
            Assert.That(handler.Corrupt, Is.Zero);
            Assert.That(receiver.Counters.MessagesDelivered, Is.EqualTo(3000));
            Assert.That(receiver.Counters.ImagesEndOfStream, Is.EqualTo(1));
            Assert.That(receiver.Counters.ReceiverErrors, Is.Zero);
            Assert.That(errors, Is.Empty);
        }
    }

    [Test]
    public void An_idle_yielding_receiver_keeps_sending_status_messages_so_the_publisher_stays_connected()
    {
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(
            AeronTestRig.ReceiverOptions(o =>
            {
                o.ReceiveWait = AeronReceiveWait.Yielding;
                o.StatusMessageInterval = TimeSpan.FromMilliseconds(50);
            }),
            handler);
        receiver.Start();

        // The publisher gives up on a receiver silent for 1 s; the idle spell below lasts several of those.
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(receiver.LocalEndPoint, o => o.ConnectionTimeout = TimeSpan.FromSeconds(1)));
        AeronTestRig.WaitConnected(publisher);
        AeronTestRig.OfferAll(publisher, 0, 10, _ => 16);
        Wait.Until(() => handler.Count == 10, "the first messages");

        // Nothing is offered now: only the receiver's timers make status messages.
        var received = publisher.Counters.StatusMessagesReceived;
        Wait.Until(() => publisher.Counters.StatusMessagesReceived >= received + 60, "60 more status messages (≈ 3 s at 50 ms)");
        Assert.That(publisher.IsConnected, Is.True, "status messages kept the publisher connected through the idle spell");

        AeronTestRig.OfferAll(publisher, 10, 10, _ => 16);
        Wait.Until(() => handler.Count == 20, "messages after the idle spell");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 20)));
            Assert.That(receiver.IsFeedUp, Is.True);
            Assert.That(receiver.Counters.ImagesTimedOut, Is.Zero);
        }
    }

    [Test]
    public void An_empty_datagram_does_not_stall_a_yielding_receiver()
    {
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(o => o.ReceiveWait = AeronReceiveWait.Yielding), handler);
        receiver.Start();
        using var peer = new RawUdpPeer();
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(receiver.LocalEndPoint));
        AeronTestRig.WaitConnected(publisher);

        // A zero-length datagram reads as "0 bytes available" (FIONREAD) yet is readable: it must be taken, not waited on.
        peer.Send([], receiver.LocalEndPoint);
        peer.Send([], receiver.LocalEndPoint);
        AeronTestRig.OfferAll(publisher, 0, 100, _ => 24);
        Wait.Until(() => handler.Count == 100, "100 messages after the empty datagrams");

        Assert.That(handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 100)));
        Assert.That(receiver.Counters.TotalDropped, Is.GreaterThanOrEqualTo(2), "the empty datagrams were read and dropped");
    }

    [TestCase(AeronReceiveWait.Yielding)]
    [TestCase(AeronReceiveWait.BusySpin)]
    public void Dispose_stops_a_spinning_receiver_and_reports_the_feed_down(AeronReceiveWait wait)
    {
        var handler = new RecordingHandler();
        var receiver = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(o => o.ReceiveWait = wait), handler);
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(receiver.LocalEndPoint));
        Task disposing;
        try
        {
            receiver.Start();
            AeronTestRig.WaitConnected(publisher);
            AeronTestRig.OfferAll(publisher, 0, 5, _ => 16);
            Wait.Until(() => handler.Count == 5, "5 messages");
        }
        finally
        {
            // On another thread, so a receiver that never stops fails the test instead of hanging it.
            disposing = Task.Run(receiver.Dispose);
        }

        Assert.That(disposing.Wait(Wait.Generous), Is.True, "Dispose returned");
        Assert.That(handler.FeedDowns, Is.EqualTo(1), "the live image was reported gone at dispose");
        Assert.That(receiver.IsFeedUp, Is.False);
    }

    [Test]
    public void An_undefined_receive_wait_is_refused() =>
        Assert.Throws<ArgumentException>(() => AeronTestRig.ReceiverOptions(o => o.ReceiveWait = (AeronReceiveWait)42).Validate());
}
