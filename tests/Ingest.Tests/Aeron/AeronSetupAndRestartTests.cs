namespace Edge.Ingest.Tests.Aeron;

/// <summary>
/// What SETUPs the receiver accepts (what the C driver accepts), how it reports the ones it refuses, and how it
/// follows a publisher that restarts with the same session id and address: real publishers over real UDP on 127.0.0.1.
/// </summary>
public sealed class AeronSetupAndRestartTests
{
    [Test]
    public void Sixty_four_KiB_terms_with_the_largest_mtu_deliver_every_message()
    {
        // term-length=65536|mtu=65504: the C driver takes it (MTU within the configured 128 KiB window, window
        // clamped to 32 KiB); Edge used to refuse every SETUP of it.
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(AeronTestRig.ReceiverOptions(), handler);
        receiver.Start();
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(
            receiver.LocalEndPoint, o => { o.TermLength = 64 * 1024; o.Mtu = 65504; }));
        AeronTestRig.WaitConnected(publisher);

        // Up to the largest message of a 64 KiB term (8 KiB), across many terms.
        const int count = 400;
        AeronTestRig.OfferAll(publisher, 0, count, sequence => sequence % 4 == 0 ? publisher.MaxMessageLength : 8 + (int)(sequence * 97 % 3000));
        Wait.Until(() => handler.Count == count, $"{count} messages");

        using (Assert.EnterMultipleScope())
        {
            Assert.That(publisher.MaxMessageLength, Is.EqualTo(8192));
            Assert.That(handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, count)));
            Assert.That(handler.Corrupt, Is.Zero);
            Assert.That(handler.Available().Single().Mtu, Is.EqualTo(65504));
            Assert.That(receiver.Counters.Dropped(AeronDropReason.InvalidSetup), Is.Zero);
            Assert.That(handler.Refusals(), Is.Empty);
            Assert.That(publisher.Position, Is.GreaterThan(10L * 64 * 1024));
        }
    }

    [Test]
    public void A_refused_setup_is_reported_once_while_its_sender_keeps_retrying()
    {
        // An MTU above the configured window is refused by the C driver too; the sender retries every 100 ms.
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(
            AeronTestRig.ReceiverOptions(o =>
            {
                o.ReceiverWindowLength = 16 * 1024;
                o.SetupRefusalReportInterval = TimeSpan.FromHours(1);
            }),
            handler);
        receiver.Start();
        using var publisher = new AeronPublisher(AeronTestRig.PublisherOptions(
            receiver.LocalEndPoint, o => { o.TermLength = 1024 * 1024; o.Mtu = 32 * 1024; }));

        Wait.Until(() => receiver.Counters.Dropped(AeronDropReason.InvalidSetup) >= 10, "ten refused SETUPs");

        var refusal = handler.Refusals().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refusal.Reason, Is.EqualTo(AeronSetupRefusalReason.MtuAboveReceiverWindow));
            Assert.That(refusal.Source, Is.EqualTo(publisher.LocalEndPoint));
            Assert.That(refusal.SessionId, Is.EqualTo(publisher.SessionId));
            Assert.That(refusal.StreamId, Is.EqualTo(AeronTestRig.StreamId));
            Assert.That(refusal.Mtu, Is.EqualTo(32 * 1024));
            Assert.That(refusal.ToString(), Does.Contain(publisher.LocalEndPoint.ToString()).And.Contain("receiver window 16384"));
            Assert.That(receiver.Counters.SetupRefusalsReported, Is.EqualTo(1));
            Assert.That(publisher.IsConnected, Is.False);
            Assert.That(handler.Available(), Is.Empty);
        }
    }

    [TestCase(false, TestName = "A publisher restarted with the same session id and address is followed at once (new initial term id)")]
    [TestCase(true, TestName = "A publisher restarted with the same session id and address is followed at once (same initial term id)")]
    public void A_publisher_restarted_with_the_same_session_and_address_is_followed_at_once(bool sameInitialTermId)
    {
        // The liveness timeout is far longer than any wait here: only recognising the new stream can pass.
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(
            AeronTestRig.ReceiverOptions(o => o.ImageLivenessTimeout = TimeSpan.FromSeconds(60)), handler);
        receiver.Start();

        // Both publishers reach the receiver through one relay socket: the same source address, as for an upstream
        // restarted on a fixed port.
        using var relay = new LossyUdpProxy(receiver.LocalEndPoint, seed: 1);
        var first = new AeronPublisher(AeronTestRig.PublisherOptions(relay.FrontEndPoint, o => o.CloseLingerTimeout = TimeSpan.FromMilliseconds(100)));
        try
        {
            AeronTestRig.WaitConnected(first);
            AeronTestRig.OfferAll(first, 0, 100, _ => 32);
            Wait.Until(() => handler.Count == 100, "first publisher's messages");

            // A crash: the first publisher goes silent, its end of stream never arrives.
            relay.Blackhole = true;
        }
        finally
        {
            first.Dispose();
        }

        // Its last datagrams (end of stream) may still wait in the relay's socket: let the relay swallow them all.
        var sent = first.Counters.DataDatagramsSent + first.Counters.RetransmitDatagramsSent + first.Counters.SetupsSent
            + first.Counters.HeartbeatsSent - first.Counters.SendErrors;
        Wait.Until(() => relay.ReceivedFromPublisher >= sent, "the relay has read everything the first publisher sent");
        relay.Blackhole = false;
        using var second = new AeronPublisher(AeronTestRig.PublisherOptions(relay.FrontEndPoint, o =>
        {
            o.SessionId = first.SessionId;
            o.InitialTermId = sameInitialTermId ? first.InitialTermId : first.InitialTermId + 12345;
        }));
        AeronTestRig.WaitConnected(second);
        AeronTestRig.OfferAll(second, 1000, 100, _ => 32);
        Wait.Until(() => handler.Count == 200, $"the restarted publisher's messages ({AeronTestRig.Describe(receiver.Counters)})");

        var available = handler.Available();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 100).Concat(AeronTestRig.Range(1000, 100))));
            Assert.That(handler.Corrupt, Is.Zero);
            Assert.That(handler.Unavailable().Single().Reason, Is.EqualTo(AeronImageEndReason.PublisherRestarted));
            Assert.That(available, Has.Length.EqualTo(2));
            Assert.That(available[1].SessionId, Is.EqualTo(available[0].SessionId));
            Assert.That(available[1].Source, Is.EqualTo(available[0].Source));
            Assert.That(available[1].InitialTermId, Is.EqualTo(second.InitialTermId));
            Assert.That(available[1].JoinPosition, Is.Zero, "the new stream from its start");
            Assert.That(receiver.Counters.ImagesReplaced, Is.EqualTo(1));
            Assert.That(receiver.Counters.ImagesTimedOut, Is.Zero);
            Assert.That(receiver.Counters.Dropped(AeronDropReason.OverRun), Is.Zero);
            Assert.That(receiver.IsFeedUp, Is.True);
        }
    }
}
