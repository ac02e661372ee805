namespace Edge.Ingest.Tests.Aeron;

/// <summary>Publisher and receiver together over real UDP on 127.0.0.1.</summary>
public sealed class AeronLoopbackTests
{
    [Test]
    public void Messages_arrive_in_order_and_the_image_comes_and_goes()
    {
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(), handler);
        receiver.Start();
        var publisher = AeronTestRig.PublishAllThenClose(receiver.LocalEndPoint, handler, 2000, sequence => 8 + (int)(sequence % 200));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 2000)));
            Assert.That(handler.Corrupt, Is.Zero);
            Assert.That(handler.Events(), Is.EqualTo(new[]
            {
                $"available {publisher.SessionId}", "feed up", $"unavailable {publisher.SessionId} EndOfStream", "feed down",
            }));
            Assert.That(handler.Available()[0].JoinPosition, Is.Zero);
            Assert.That(receiver.Counters.MessagesDelivered, Is.EqualTo(2000));
            Assert.That(receiver.Counters.ImagesEndOfStream, Is.EqualTo(1));
            Assert.That(receiver.IsFeedUp, Is.False);
            Assert.That(receiver.Counters.StatusMessagesSent, Is.GreaterThan(0));
        }
    }

    [Test]
    public void Each_receive_batch_ends_after_its_messages_once_not_per_message()
    {
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(), handler);
        receiver.Start();
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(receiver.LocalEndPoint));
        AeronTestRig.WaitConnected(publisher);

        AeronTestRig.OfferAll(publisher, 0, 3000, _ => 20);
        Wait.Until(() => handler.Batches.MessagesAtLastEnd == 3000, "a batch end after the last of 3000 messages");

        var (batchEnds, _) = handler.Batches;
        Assert.That(batchEnds, Is.GreaterThan(0));
        Assert.That(batchEnds, Is.LessThanOrEqualTo(receiver.Counters.DatagramsReceived), "at most one batch end per receive batch");
        Assert.That(batchEnds, Is.LessThan(3000), "frames share datagrams, so batches hold several messages");
    }

    [Test]
    public void Several_frames_share_a_datagram_when_the_sender_is_behind()
    {
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(), handler);
        receiver.Start();
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(receiver.LocalEndPoint));
        AeronTestRig.WaitConnected(publisher);

        AeronTestRig.OfferAll(publisher, 0, 5000, _ => 20);
        Wait.Until(() => handler.Count == 5000, "5000 messages");

        Assert.That(handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 5000)));
        Assert.That(publisher.Counters.DataDatagramsSent, Is.LessThan(5000), "frames were batched into datagrams");
        Assert.That(receiver.Counters.DataFramesReceived, Is.GreaterThanOrEqualTo(5000));
    }

    [Test]
    public void Terms_roll_over_many_times_with_64_KiB_terms()
    {
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(), handler);
        receiver.Start();
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(receiver.LocalEndPoint, o => o.TermLength = 64 * 1024));
        AeronTestRig.WaitConnected(publisher);

        // About 1.5 MB: more than 20 terms, with sizes that leave ragged term ends (PAD frames).
        const int count = 3000;
        AeronTestRig.OfferAll(publisher, 0, count, sequence => 8 + (int)(sequence * 37 % 1000));
        Wait.Until(() => handler.Count == count, $"{count} messages");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, count)));
            Assert.That(handler.Corrupt, Is.Zero);
            Assert.That(publisher.Position, Is.GreaterThan(20L * 64 * 1024));
        }
    }

    [Test]
    public void Fragmented_messages_are_reassembled_up_to_the_maximum_length()
    {
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(), handler);
        receiver.Start();
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(
            receiver.LocalEndPoint, o => { o.TermLength = 1024 * 1024; o.Mtu = 1408; }));
        AeronTestRig.WaitConnected(publisher);
        var max = publisher.MaxMessageLength;
        int[] sizes = [3000, 1376, 1377, 2752, 2753, 10_000, 65_536, max - 1, max, 8, 3000, max];

        AeronTestRig.OfferAll(publisher, 0, sizes.Length, sequence => sizes[sequence]);
        Wait.Until(() => handler.Count == sizes.Length, "all fragmented messages");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(max, Is.EqualTo(128 * 1024));
            Assert.That(handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, sizes.Length)));
            Assert.That(handler.Lengths(), Is.EqualTo(sizes));
            Assert.That(handler.Corrupt, Is.Zero);
            Assert.That(publisher.Offer(new byte[max + 1]), Is.EqualTo(AeronOfferResult.MessageTooLarge));
        }
    }

    [Test]
    public void Offers_are_refused_until_a_receiver_connects()
    {
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(), handler);
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(receiver.LocalEndPoint));

        // The receiver's thread is not running: SETUPs go unanswered.
        Wait.Until(() => publisher.Counters.SetupsSent >= 2, "SETUP repeated while nobody answers");
        Assert.That(publisher.Offer(new byte[16]), Is.EqualTo(AeronOfferResult.NotConnected));
        Assert.That(publisher.IsConnected, Is.False);

        receiver.Start();
        AeronTestRig.WaitConnected(publisher);
        AeronTestRig.OfferAll(publisher, 0, 10, _ => 16);
        Wait.Until(() => handler.Count == 10, "10 messages after connecting");
        Assert.That(handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 10)));
    }

    [Test]
    public void A_restarted_publisher_is_a_new_image_and_the_feed_goes_down_and_up()
    {
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(), handler);
        receiver.Start();
        int firstSession;
        using (var first = new AeronPublisher(AeronTestRig.PublisherOptions(receiver.LocalEndPoint)))
        {
            firstSession = first.SessionId;
            AeronTestRig.WaitConnected(first);
            AeronTestRig.OfferAll(first, 0, 100, _ => 32);
            Wait.Until(() => handler.Count == 100, "first publisher's messages");
        }

        Wait.Until(() => handler.FeedDowns == 1, "feed down after the first publisher closed");
        using (var second = new AeronPublisher(AeronTestRig.PublisherOptions(receiver.LocalEndPoint)))
        {
            AeronTestRig.WaitConnected(second);
            AeronTestRig.OfferAll(second, 100, 100, _ => 32);
            Wait.Until(() => handler.Count == 200, "second publisher's messages");
            Assert.That(second.SessionId, Is.Not.EqualTo(firstSession));
            Assert.That(handler.FeedUps, Is.EqualTo(2));
            Assert.That(receiver.IsFeedUp, Is.True);
        }

        Wait.Until(() => handler.FeedDowns == 2, "feed down after the second publisher closed");
        var available = handler.Available();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 200)));
            Assert.That(available, Has.Length.EqualTo(2));
            Assert.That(available[1].ImageId, Is.GreaterThan(available[0].ImageId));
            Assert.That(handler.Unavailable().Select(u => u.Reason), Is.All.EqualTo(AeronImageEndReason.EndOfStream));
        }
    }

    [Test]
    public void Disposing_the_receiver_tells_the_publisher_at_once()
    {
        var handler = new RecordingHandler();
        var receiver = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(), handler);
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(
            receiver.LocalEndPoint, o => o.ConnectionTimeout = TimeSpan.FromMinutes(1)));
        try
        {
            receiver.Start();
            AeronTestRig.WaitConnected(publisher);
            AeronTestRig.OfferAll(publisher, 0, 10, _ => 16);
            Wait.Until(() => handler.Count == 10, "10 messages");
        }
        finally
        {
            receiver.Dispose();
        }

        // An SM with the EOS flag disconnects the sender long before its (one minute) connection timeout.
        Wait.Until(() => !publisher.IsConnected, "publisher disconnected by the EOS status message");
        Assert.That(handler.Events()[^2..], Is.EqualTo(new[] { $"unavailable {publisher.SessionId} ReceiverClosed", "feed down" }));
    }

    [Test]
    public void Heartbeats_keep_an_idle_image_alive()
    {
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(
            AeronTestRig.ReceiverOptions(o => o.ImageLivenessTimeout = TimeSpan.FromSeconds(1)), handler);
        receiver.Start();
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(receiver.LocalEndPoint));
        AeronTestRig.WaitConnected(publisher);
        Wait.Until(() => receiver.IsFeedUp, "image active from heartbeats alone");

        // Several liveness periods of silence from the application; only heartbeats flow (every 100 ms). The liveness
        // timeout is 10 of them, so a stalled publisher thread on a loaded machine does not end the image for real.
        Wait.Until(() => receiver.Counters.HeartbeatsReceived >= 25, "25 heartbeats (over 2.5 liveness periods)");

        Assert.That(receiver.IsFeedUp, Is.True);
        Assert.That(handler.FeedDowns, Is.Zero);
        Assert.That(receiver.Counters.ImagesTimedOut, Is.Zero);
        Assert.That(receiver.Counters.MessagesDelivered, Is.Zero);
    }

    [TestCase(AeronReceiveWait.Blocking)]
    [TestCase(AeronReceiveWait.Yielding)]
    [TestCase(AeronReceiveWait.BusySpin)]
    public void Steady_state_allocates_nothing_per_message_or_per_idle_pass_on_either_side(AeronReceiveWait wait)
    {
        const int warmup = 3000;
        const int total = 9000;
        var probe = new AllocationProbeHandler(warmup, total);
        using var receiver = new AeronReceiver<AllocationProbeHandler>(AeronTestRig.ReceiverOptions(o => o.ReceiveWait = wait), probe);
        receiver.Start();
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(receiver.LocalEndPoint));
        AeronTestRig.WaitConnected(publisher);
        var message = new byte[3000];

        // Offer's bytes in the same two windows as the probe's (one must be 0 B, for the same reason).
        var offerAllocated = new long[2];
        var deadline = DateTime.UtcNow + Wait.Generous;
        for (var i = 1; i <= total; i++)
        {
            // Every tenth message is fragmented, so reassembly is in the steady state too.
            var length = i % 10 == 0 ? 3000 : 40;
            var before = GC.GetAllocatedBytesForCurrentThread();
            while (publisher.Offer(message.AsSpan(0, length)) != AeronOfferResult.Success)
            {
                if (DateTime.UtcNow > deadline)
                {
                    Assert.Fail("offers kept failing");
                }

                Thread.Sleep(1);
            }

            if (i > warmup)
            {
                offerAllocated[i <= probe.Middle ? 0 : 1] += GC.GetAllocatedBytesForCurrentThread() - before;
            }

            // A pause every 500 messages: idle passes (empty polls, timers, yields) fall inside the windows too.
            if (i % 500 == 0)
            {
                Thread.Sleep(5);
            }
        }

        Wait.Until(() => probe.Done, "all messages through the probe");
        Assert.That(
            probe.QuietWindowAllocated,
            Is.Zero,
            $"bytes allocated by the receive thread in steady state ({probe.Describe()}; {AeronTestRig.Describe(receiver.Counters)})");
        Assert.That(
            Math.Min(offerAllocated[0], offerAllocated[1]),
            Is.Zero,
            $"bytes allocated by Offer in steady state (windows: {offerAllocated[0]} B, {offerAllocated[1]} B)");
    }

    [Test]
    public void Term_ids_wrap_past_int_max_value()
    {
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(), handler);
        receiver.Start();
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(
            receiver.LocalEndPoint, o => { o.TermLength = 64 * 1024; o.InitialTermId = int.MaxValue - 2; }));
        AeronTestRig.WaitConnected(publisher);

        // About 10 terms: the term id goes from int.MaxValue - 2 through int.MinValue.
        AeronTestRig.OfferAll(publisher, 0, 2000, sequence => 8 + (int)(sequence * 31 % 600));
        Wait.Until(() => handler.Count == 2000, "2000 messages across the term id wrap");

        Assert.That(handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 2000)));
        Assert.That(handler.Corrupt, Is.Zero);
        Assert.That(publisher.Position, Is.GreaterThan(4L * 64 * 1024));
    }
}
