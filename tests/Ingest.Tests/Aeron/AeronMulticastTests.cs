namespace Edge.Ingest.Tests.Aeron;

/// <summary>
/// Multicast over real UDP: one publication to a group on the loopback device, several receivers in this process
/// sharing the group's port, status messages and NAKs on the control group.
/// </summary>
public sealed class AeronMulticastTests
{
    [Test]
    public void Two_receivers_on_one_multicast_publication_both_get_every_message()
    {
        var group = MulticastRig.NewGroup();
        var first = new RecordingHandler();
        var second = new RecordingHandler();
        using var a = new AeronReceiver<RecordingHandler>(MulticastRig.Receiver(MulticastRig.SubscriptionChannel(group)), first);
        using var b = new AeronReceiver<RecordingHandler>(MulticastRig.Receiver(MulticastRig.SubscriptionChannel(group)), second);
        a.Start();
        b.Start();
        using var publisher = new AeronPublisher(MulticastRig.Publisher($"aeron:udp?endpoint={group}|interface=127.0.0.1|ttl=0"));
        Wait.Until(() => publisher.ReceiverCount == 2, "both receivers' status messages on the control group");

        AeronTestRig.OfferAll(publisher, 0, 2000, sequence => 8 + (int)(sequence % 200));
        Wait.Until(() => first.Count == 2000 && second.Count == 2000, "2000 messages at each receiver");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 2000)));
            Assert.That(second.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 2000)));
            Assert.That(first.Corrupt + second.Corrupt, Is.Zero);
            Assert.That(a.Kind, Is.EqualTo(AeronChannelKind.Multicast));
            Assert.That(a.Counters.LiveImages, Has.Count.EqualTo(1));
            Assert.That(a.Counters.LiveImages[0].Kind, Is.EqualTo(AeronChannelKind.Multicast));
            Assert.That(a.Counters.LiveImages[0].SessionId, Is.EqualTo(publisher.SessionId));
        }
    }

    [Test]
    public void A_datagram_lost_on_multicast_is_renaked_until_recovered_and_a_peer_holds_its_nak_back()
    {
        var group = MulticastRig.NewGroup();
        var first = new RecordingHandler();
        var second = new RecordingHandler();

        // The first NAKs at once; the second waits a random time up to 30 ms, so it hears the first's NAKs.
        using var a = new AeronReceiver<RecordingHandler>(
            MulticastRig.Receiver(MulticastRig.SubscriptionChannel(group), o => o.MulticastNakBackoff = TimeSpan.Zero), first);
        using var b = new AeronReceiver<RecordingHandler>(
            MulticastRig.Receiver(MulticastRig.SubscriptionChannel(group), o => o.MulticastNakBackoff = TimeSpan.FromMilliseconds(30)), second);
        a.Start();
        b.Start();
        using var publisher = new AeronPublisher(MulticastRig.Publisher($"aeron:udp?endpoint={group}|interface=127.0.0.1"));
        Wait.Until(() => publisher.ReceiverCount == 2, "both receivers connected");
        AeronTestRig.OfferAll(publisher, 0, 100, _ => 40);
        Wait.Until(() => first.Count == 100 && second.Count == 100, "the first 100 messages at each receiver");

        // Lose one DATA datagram and its first retransmissions: the gap stays for several NAK retry intervals.
        publisher.DropNextDataDatagrams(1);
        publisher.DropNextRetransmits(5);
        AeronTestRig.OfferAll(publisher, 100, 100, _ => 40);
        Wait.Until(() => first.Count == 200 && second.Count == 200, "all 200 messages at each receiver after the loss");

        // The publisher counts a retransmission just after sending it: the receivers may have it first.
        Wait.Until(() => publisher.Counters.RetransmitDatagramsSent > 5, "the sixth retransmission (the first five were lost) counted");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 200)));
            Assert.That(second.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 200)));
            Assert.That(publisher.Counters.NaksReceived, Is.GreaterThan(0), "NAKs reached the publisher on the control group");
            Assert.That(a.Counters.NaksSent + b.Counters.NaksSent, Is.GreaterThan(0));
            Assert.That(a.Counters.NaksSuppressed + b.Counters.NaksSuppressed, Is.GreaterThan(0),
                "a receiver saw the other's NAK for the gap and held its own back");
            Assert.That(a.Counters.LiveImages[0].NaksSent + b.Counters.LiveImages[0].NaksSent,
                Is.EqualTo(a.Counters.NaksSent + b.Counters.NaksSent), "per-image NAK counts");
            Assert.That(b.Counters.LiveImages[0].NaksSuppressed + a.Counters.LiveImages[0].NaksSuppressed,
                Is.EqualTo(a.Counters.NaksSuppressed + b.Counters.NaksSuppressed));
        }
    }

    [Test]
    public void Min_flow_control_waits_for_a_stalled_receiver()
    {
        using var rig = new FastAndStalledReceivers("|fc=min,t:60s");
        rig.Slow.Shut();

        // Offer until back-pressured: the slow receiver's last status message caps what is sent.
        var offered = OfferUntilBackPressured(rig.Publisher);
        Wait.Until(() => rig.Slow.Blocked, "the slow receiver stalled on its first message");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rig.Fast.Count, Is.LessThan(offered), "the fast receiver cannot get what min flow control held back");
            Assert.That(rig.Publisher.SenderPosition, Is.LessThan(rig.Publisher.Position));
        }

        rig.Slow.Open();
        AeronTestRig.OfferAll(rig.Publisher, offered, 500, _ => 100);
        Wait.Until(
            () => rig.Fast.Count == offered + 500 && rig.Slow.Recorded.Count == offered + 500, "everything at both once the slow one resumed");
        Assert.That(rig.Fast.Sequences(), Is.EqualTo(AeronTestRig.Range(0, offered + 500)));
        Assert.That(rig.Slow.Recorded.Sequences(), Is.EqualTo(AeronTestRig.Range(0, offered + 500)));
    }

    [Test]
    public void Min_flow_control_lets_a_stalled_receiver_go_after_its_timeout()
    {
        using var rig = new FastAndStalledReceivers("|fc=min,t:1s");
        rig.Slow.Shut();
        AeronTestRig.OfferAll(rig.Publisher, 0, 2000, _ => 100);
        Wait.Until(() => rig.Fast.Count == 2000, "all 2000 at the fast receiver once the stalled one timed out");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rig.Slow.Blocked, Is.True);
            Assert.That(rig.Publisher.Counters.ReceiversTimedOut, Is.GreaterThanOrEqualTo(1));
            Assert.That(rig.Fast.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 2000)));
        }
    }

    [Test]
    public void Max_flow_control_does_not_wait_for_a_stalled_receiver()
    {
        // fc=max is the default; a long connection timeout keeps the stalled receiver counted throughout.
        using var rig = new FastAndStalledReceivers(
            "|fc=max", configurePublisher: o => o.ConnectionTimeout = TimeSpan.FromSeconds(60));
        rig.Slow.Shut();
        AeronTestRig.OfferAll(rig.Publisher, 0, 2000, _ => 100);
        Wait.Until(() => rig.Fast.Count == 2000, "all 2000 at the fast receiver while the other is stalled");
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rig.Slow.Blocked, Is.True);
            Assert.That(rig.Slow.Recorded.Count, Is.Zero);
            Assert.That(rig.Publisher.Counters.ReceiversTimedOut, Is.Zero);
            Assert.That(rig.Fast.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 2000)));
        }
    }

    [Test]
    public void Under_max_flow_control_a_receiver_left_too_far_behind_loses_its_image_and_rejoins_in_order()
    {
        using var rig = new FastAndStalledReceivers("", o =>
        {
            o.ImageLivenessTimeout = TimeSpan.FromSeconds(1);

            // A small socket buffer: what arrives while it is stalled is mostly lost (a large one would hold it all).
            o.SocketReceiveBufferSize = 16 * 1024;
        });
        var publisher = rig.Publisher;
        var slow = rig.Slow;
        var counters = rig.SlowReceiver.Counters;
        using var stop = new CancellationTokenSource();
        Task? offers = null;
        try
        {
            slow.Shut();

            // Five terms (64 KiB each) go by while it is stalled: far more than its socket buffer holds or the publisher
            // keeps for retransmission.
            AeronTestRig.OfferAll(publisher, 0, 2000, _ => 100);
            Wait.Until(() => rig.Fast.Count == 2000, "all 2000 at the fast receiver");
            slow.Open();

            // The stream goes on; the stalled receiver's image ends (liveness) and it asks for a SETUP at the current position.
            offers = Task.Run(() =>
            {
                var buffer = new byte[100];
                for (long sequence = 2000; !stop.IsCancellationRequested; sequence++)
                {
                    TestMessages.Fill(buffer, sequence);
                    while (publisher.Offer(buffer) != AeronOfferResult.Success && !stop.IsCancellationRequested)
                    {
                        Thread.Sleep(1);
                    }

                    Thread.Sleep(1);
                }
            });
            Wait.Until(
                () => slow.Recorded.Available().Length == 2 && slow.Recorded.Count > 1,
                "the stalled receiver rejoined with a new image",
                () => $"{string.Join(", ", slow.Recorded.Events())}; {AeronTestRig.Describe(counters)}; over-run {counters.Dropped(AeronDropReason.OverRun)}, "
                    + $"under-run {counters.Dropped(AeronDropReason.UnderRun)}, unknown session {counters.Dropped(AeronDropReason.UnknownSession)}, "
                    + $"timed out {counters.ImagesTimedOut}, setup requests {counters.SetupRequestsSent}, delivered {slow.Recorded.Count}");
            stop.Cancel();
            offers.Wait(Wait.Generous);

            var sequences = slow.Recorded.Sequences();
            using (Assert.EnterMultipleScope())
            {
                Assert.That(slow.Recorded.Unavailable()[0].Reason, Is.EqualTo(AeronImageEndReason.LivenessTimeout));
                Assert.That(sequences, Is.Ordered.Ascending.And.Unique, "no message out of order or twice");
                Assert.That(sequences[^1], Is.GreaterThan(2000), "it receives the live stream again");
                Assert.That(slow.Recorded.Corrupt, Is.Zero);
            }
        }
        finally
        {
            stop.Cancel();
            slow.Open();
            offers?.Wait(Wait.Generous);
        }
    }

    private static int OfferUntilBackPressured(AeronPublisher publisher)
    {
        var buffer = new byte[100];
        var sequence = 0;
        var deadline = DateTime.UtcNow + Wait.Generous;
        while (DateTime.UtcNow < deadline)
        {
            TestMessages.Fill(buffer, sequence);
            var result = publisher.Offer(buffer);
            if (result == AeronOfferResult.Success)
            {
                sequence++;
            }
            else if (result == AeronOfferResult.BackPressured)
            {
                return sequence;
            }
            else
            {
                Thread.Sleep(1);
            }
        }

        Assert.Fail($"never back-pressured after {sequence} offers");
        return sequence;
    }
}
