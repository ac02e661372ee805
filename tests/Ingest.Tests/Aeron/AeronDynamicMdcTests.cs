namespace Edge.Ingest.Tests.Aeron;

/// <summary>
/// Dynamic multi-destination-cast over real UDP on 127.0.0.1: receivers join a running publication by naming its
/// control address, and leave it by stopping.
/// </summary>
public sealed class AeronDynamicMdcTests
{
    [Test]
    public void A_receiver_joins_a_running_publication_by_configuration_and_is_dropped_when_it_stops()
    {
        var control = $"127.0.0.1:{MulticastRig.FreeUdpPort()}";
        using var publisher = new AeronPublisher(MulticastRig.Publisher($"aeron:udp?control={control}|control-mode=dynamic"));
        Assert.That(publisher.Kind, Is.EqualTo(AeronChannelKind.Mdc));

        var first = new RecordingHandler();
        using var a = new AeronReceiver<RecordingHandler>(MulticastRig.Receiver($"aeron:udp?endpoint=127.0.0.1:0|control={control}"), first);
        a.Start();
        Wait.Until(() => publisher.IsConnected && publisher.DestinationCount == 1, "the first receiver added as a destination");
        AeronTestRig.OfferAll(publisher, 0, 1000, _ => 40);
        Wait.Until(() => first.Count == 1000, "1000 messages at the first receiver");

        // A second Edge joins the running publication: configuration only, nothing on the publisher's side.
        var second = new RecordingHandler();
        var b = new AeronReceiver<RecordingHandler>(MulticastRig.Receiver($"aeron:udp?endpoint=127.0.0.1:0|control={control}"), second);
        try
        {
            b.Start();
            Wait.Until(() => publisher.DestinationCount == 2 && publisher.ReceiverCount == 2 && second.FeedUps == 1,
                "the second receiver added, its image up");
            AeronTestRig.OfferAll(publisher, 1000, 1000, _ => 40);
            Wait.Until(() => first.Count == 2000 && second.Count == 1000, "the next 1000 messages at both");
            using (Assert.EnterMultipleScope())
            {
                Assert.That(first.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 2000)));
                Assert.That(second.Sequences(), Is.EqualTo(AeronTestRig.Range(1000, 1000)), "joined at the publication's position");
                Assert.That(b.Counters.LiveImages[0].Kind, Is.EqualTo(AeronChannelKind.Mdc));
                Assert.That(b.Counters.SetupRequestsSent, Is.GreaterThan(0), "it asked the control address for a SETUP");
            }
        }
        finally
        {
            // Stopping sends an EOS status message: the publisher drops it at once.
            b.Dispose();
        }

        Wait.Until(() => publisher.DestinationCount == 1 && publisher.ReceiverCount == 1, "the stopped receiver dropped");
        AeronTestRig.OfferAll(publisher, 2000, 100, _ => 40);
        Wait.Until(() => first.Count == 2100, "the first receiver carries on");
    }

    [Test]
    public void A_destination_that_falls_silent_is_dropped_after_the_timeout()
    {
        var control = new IPEndPoint(IPAddress.Loopback, MulticastRig.FreeUdpPort());
        using var publisher = new AeronPublisher(MulticastRig.Publisher(
            $"aeron:udp?control={control}|control-mode=dynamic", o => o.DestinationTimeout = TimeSpan.FromSeconds(1)));

        // A receiver that asks once and then dies without an EOS (SIGKILL): a SETUP-eliciting SM, then silence.
        using var crashed = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        crashed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        crashed.ReceiveTimeout = (int)Wait.Generous.TotalMilliseconds;
        var frame = new byte[AeronProtocol.StatusMessageLength];
        var length = StatusMessageFlyweight.Encode(frame, AeronProtocol.SendSetupFlag, 0, AeronTestRig.StreamId, 0, 0, 0, 42);
        crashed.SendTo(frame.AsSpan(0, length), SocketFlags.None, control);

        Wait.Until(() => publisher.DestinationCount == 1, "the destination added");
        Wait.Until(() => publisher.DestinationCount == 0, "the silent destination dropped");
        var buffer = new byte[64];
        Assert.That(crashed.Receive(buffer), Is.EqualTo(AeronProtocol.SetupLength), "it was sent a SETUP while it was a destination");
    }
    [Test]
    public void A_real_drivers_setup_request_on_stream_0_makes_it_a_destination_that_gets_a_setup_and_then_data()
    {
        var control = new IPEndPoint(IPAddress.Loopback, MulticastRig.FreeUdpPort());
        using var publisher = new AeronPublisher(MulticastRig.Publisher($"aeron:udp?control={control}|control-mode=dynamic"));
        using var receiver = new RawUdpPeer();

        // What a real C/Java receiver with no image sends to control=: session 0, STREAM 0, flags 0x80, 36 bytes, its id
        // (aeron_receive_channel_endpoint_add_pending_setup(endpoint, receiver, 0, 0)).
        var request = new byte[AeronProtocol.StatusMessageLength];
        Assert.That(StatusMessageFlyweight.Encode(request, AeronProtocol.SendSetupFlag, 0, 0, 0, 0, 0, 42), Is.EqualTo(36));
        receiver.Send(request, control);

        var setupFrame = receiver.ReceiveType(AeronFrameType.Setup, "a SETUP for the stream-0 request");
        var setup = new SetupFlyweight(setupFrame);
        Assert.That((setup.SessionId, setup.StreamId), Is.EqualTo((publisher.SessionId, AeronTestRig.StreamId)));
        Assert.That(publisher.DestinationCount, Is.EqualTo(1));

        // The receiver makes its image and sends status messages for the session, as the real one does.
        var statusMessage = new byte[AeronProtocol.StatusMessageLength];
        StatusMessageFlyweight.Encode(statusMessage, 0, setup.SessionId, setup.StreamId, setup.ActiveTermId, setup.TermOffset, 1 << 20, 42);
        receiver.Send(statusMessage, control);
        AeronTestRig.WaitConnected(publisher);

        AeronTestRig.OfferAll(publisher, 0, 1, _ => 40);
        var data = new DataHeaderFlyweight(receiver.ReceiveData("the first message"));
        Assert.That((data.SessionId, data.StreamId), Is.EqualTo((publisher.SessionId, AeronTestRig.StreamId)));
    }

    [Test]
    public void An_edge_receiver_asks_the_control_address_for_a_setup_as_a_real_receiver_does_with_stream_0()
    {
        using var realPublisher = new RawUdpPeer();
        using var receiver = new AeronReceiver<RecordingHandler>(
            MulticastRig.Receiver($"aeron:udp?endpoint=127.0.0.1:0|control={realPublisher.EndPoint}"), new RecordingHandler());
        receiver.Start();

        var frame = realPublisher.ReceiveType(AeronFrameType.StatusMessage, "a status message at the control address");
        var request = new StatusMessageFlyweight(frame);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(frame, Has.Length.EqualTo(AeronProtocol.StatusMessageLength));
            Assert.That(request.Header.Flags, Is.EqualTo(AeronProtocol.SendSetupFlag));
            Assert.That(request.SessionId, Is.Zero);
            Assert.That(request.StreamId, Is.Zero, "a real publisher sends a SETUP only for session 0 AND stream 0");
        }
    }
    [Test]
    public void A_real_drivers_mdc_subscription_channel_without_endpoint_joins_with_host_names()
    {
        // As a real driver's subscription is written: no endpoint= (any address, any port), a host name, control-mode.
        var port = MulticastRig.FreeUdpPort();
        using var publisher = new AeronPublisher(MulticastRig.Publisher($"aeron:udp?control=localhost:{port}|control-mode=dynamic|alias=feed"));
        var handler = new RecordingHandler();
        using var receiver = new AeronReceiver<RecordingHandler>(
            MulticastRig.Receiver($"aeron:udp?control=localhost:{port}|control-mode=dynamic|alias=feed|tether=false|reliable=true"), handler);
        receiver.Start();

        Wait.Until(() => publisher.IsConnected && handler.FeedUps == 1, "the receiver joined");
        AeronTestRig.OfferAll(publisher, 0, 100, _ => 40);
        Wait.Until(() => handler.Count == 100, "100 messages at the receiver");
        Assert.That(handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 100)));
    }
}
