namespace Edge.Ingest.Tests.Aeron;

/// <summary>Publisher → lossy UDP proxy → receiver (and SM/NAK back through the same proxy).</summary>
public sealed class AeronLossyLinkTests
{
    [TestCase(0.01, 11)]
    [TestCase(0.05, 22)]
    [TestCase(0.20, 33)]
    public void Every_message_arrives_once_and_in_order_despite_loss(double lossRate, int seed)
    {
        const int count = 3000;
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(), handler);
        receiver.Start();
        using var proxy = new LossyUdpProxy(receiver.LocalEndPoint, seed)
        {
            DropRate = lossRate,
            DuplicateRate = 0.02,
            DelayRate = 0.03,
        };
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(proxy.FrontEndPoint));
        AeronTestRig.WaitConnected(publisher);

        AeronTestRig.OfferAll(publisher, 0, count, sequence => 8 + (int)(sequence * 13 % 300));
        Wait.Until(() => handler.Count >= count, $"{count} messages through a link losing {lossRate:P0}");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, count)));
            Assert.That(handler.Corrupt, Is.Zero);
            if (lossRate >= 0.05)
            {
                Assert.That(proxy.DroppedData, Is.GreaterThan(0), "the link really lost data");
            }

            if (proxy.DroppedData > 0)
            {
                // A lost original always leaves a gap that only a NAK and a retransmission can fill.
                Assert.That(receiver.Counters.NaksSent, Is.GreaterThan(0), "gaps were NAKed");
                Assert.That(publisher.Counters.RetransmitDatagramsSent, Is.GreaterThan(0), "NAKs were answered");
            }
            Assert.That(receiver.Counters.Dropped(AeronDropReason.MalformedFrame), Is.Zero);
        }
    }

    [Test]
    public void Fragmented_messages_survive_loss()
    {
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(), handler);
        receiver.Start();
        using var proxy = new LossyUdpProxy(receiver.LocalEndPoint, 44) { DropRate = 0.05, DelayRate = 0.05, DuplicateRate = 0.02 };
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(proxy.FrontEndPoint, o => o.TermLength = 256 * 1024));
        AeronTestRig.WaitConnected(publisher);

        AeronTestRig.OfferAll(publisher, 0, 300, sequence => 1000 + (int)(sequence * 997 % 30_000));
        Wait.Until(() => handler.Count >= 300, "300 fragmented messages");

        Assert.That(handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 300)));
        Assert.That(handler.Corrupt, Is.Zero);
    }

    [Test]
    public void A_late_receiver_asks_for_setup_and_gets_the_stream_from_then_on()
    {
        var early = new RecordingHandler();
        var late = new RecordingHandler();
        using var first = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(), early);
        using var second = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(), late);
        first.Start();
        second.Start();
        using var proxy = new LossyUdpProxy(first.LocalEndPoint, 55);
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(proxy.FrontEndPoint));
        AeronTestRig.WaitConnected(publisher);
        AeronTestRig.OfferAll(publisher, 0, 500, _ => 40);
        Wait.Until(() => early.Count == 500, "first receiver's messages");

        // The publisher stays connected (its timeout is 5 s) and keeps sending: the second receiver sees DATA
        // for a session it has never had a SETUP for.
        proxy.Retarget(second.LocalEndPoint);
        var sequence = 500L;
        Wait.Until(
            () =>
            {
                AeronTestRig.OfferAll(publisher, sequence++, 1, _ => 40);
                return late.Count >= 50;
            },
            "second receiver joined and received");

        var received = late.Sequences();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(second.Counters.SetupRequestsSent, Is.GreaterThanOrEqualTo(1), "asked for SETUP with the send-setup flag");
            Assert.That(second.Counters.Dropped(AeronDropReason.UnknownSession), Is.GreaterThanOrEqualTo(1));
            Assert.That(received[0], Is.GreaterThanOrEqualTo(500), "joined at the sender's current position");
            Assert.That(received, Is.EqualTo(AeronTestRig.Range(received[0], received.Length)), "contiguous from the join on");
            Assert.That(late.Available()[0].JoinPosition, Is.GreaterThan(0));
            Assert.That(late.Corrupt, Is.Zero);
        }
    }

    [Test]
    public void A_silent_link_times_the_image_out_and_the_feed_comes_back_when_it_heals()
    {
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(
            AeronTestRig.ReceiverOptions(o => o.ImageLivenessTimeout = TimeSpan.FromMilliseconds(600)), handler);
        receiver.Start();
        using var proxy = new LossyUdpProxy(receiver.LocalEndPoint, 66);
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(
            proxy.FrontEndPoint, o => o.ConnectionTimeout = TimeSpan.FromSeconds(30)));
        AeronTestRig.WaitConnected(publisher);
        AeronTestRig.OfferAll(publisher, 0, 100, _ => 24);
        Wait.Until(() => handler.Count == 100, "100 messages");

        proxy.Blackhole = true;
        Wait.Until(() => handler.FeedDowns == 1, "feed down after the liveness timeout");
        Assert.That(handler.Unavailable()[0].Reason, Is.EqualTo(AeronImageEndReason.LivenessTimeout));
        Assert.That(receiver.Counters.ImagesTimedOut, Is.EqualTo(1));

        // The sender never noticed (long connection timeout): its heartbeats now reach a receiver without an
        // image for the session, which asks for a SETUP and builds a new image.
        proxy.Blackhole = false;
        Wait.Until(() => handler.FeedUps == 2, "feed up again after the link healed");
        AeronTestRig.OfferAll(publisher, 100, 100, _ => 24);
        Wait.Until(() => handler.Count == 200, "messages after the link healed");
        Assert.That(handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 200)));
        Assert.That(handler.Available()[1].ImageId, Is.Not.EqualTo(handler.Available()[0].ImageId));
    }
}
