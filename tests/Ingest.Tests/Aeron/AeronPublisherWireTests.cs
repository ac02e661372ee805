namespace Edge.Ingest.Tests.Aeron;

/// <summary>
/// The publisher seen on the wire by a hand-played receiver (a plain UDP socket), checked against what the C
/// driver was observed to send (shared/aeron-protocol.md).
/// </summary>
public sealed class AeronPublisherWireTests
{
    private const int Session = 4242;
    private const int Initial = 1000;

    [Test]
    public void Setup_is_repeated_until_a_status_message_and_carries_the_log_layout()
    {
        using var peer = new RawUdpPeer();
        using var publisher = NewPublisher(peer, 64 * 1024);

        var first = peer.ReceiveType(AeronFrameType.Setup, "a SETUP");
        peer.ReceiveType(AeronFrameType.Setup, "a second SETUP while unanswered");
        var setup = new SetupFlyweight(first);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(first, Has.Length.EqualTo(40));
            Assert.That(first[..8], Is.EqualTo(new byte[] { 0x28, 0, 0, 0, 0, 0, 0x05, 0 }), "length 40, version 0, type 5");
            Assert.That(setup.SessionId, Is.EqualTo(Session));
            Assert.That(setup.StreamId, Is.EqualTo(AeronTestRig.StreamId));
            Assert.That(setup.InitialTermId, Is.EqualTo(Initial));
            Assert.That(setup.ActiveTermId, Is.EqualTo(Initial));
            Assert.That(setup.TermOffset, Is.Zero);
            Assert.That(setup.TermLength, Is.EqualTo(65536));
            Assert.That(setup.Mtu, Is.EqualTo(1408));
            Assert.That(publisher.Offer(new byte[10]), Is.EqualTo(AeronOfferResult.NotConnected));
        }
    }

    [Test]
    public void Data_frames_are_aligned_after_the_first_status_message()
    {
        using var peer = new RawUdpPeer();
        using var publisher = NewConnectedPublisher(peer, 64 * 1024, window: 65536);

        Assert.That(publisher.Offer("hello aeron 14"u8), Is.EqualTo(AeronOfferResult.Success));
        var datagram = peer.ReceiveData("the first DATA");
        var frame = new DataHeaderFlyweight(datagram);
        using (Assert.EnterMultipleScope())
        {
            // [observed] a 14-byte payload had frame_length=46 and a 64-byte datagram.
            Assert.That(datagram, Has.Length.EqualTo(64));
            Assert.That(frame.Header.FrameLength, Is.EqualTo(46));
            Assert.That(frame.Header.Flags, Is.EqualTo(0xC0));
            Assert.That(frame.TermOffset, Is.Zero);
            Assert.That(frame.TermId, Is.EqualTo(Initial));
            Assert.That(frame.Payload.ToArray(), Is.EqualTo("hello aeron 14"u8.ToArray()));
        }

        Assert.That(publisher.Offer("hello aeron 14"u8), Is.EqualTo(AeronOfferResult.Success));
        Assert.That(new DataHeaderFlyweight(peer.ReceiveData("the second DATA")).TermOffset, Is.EqualTo(64), "next frame at offset 64");
    }

    [Test]
    public void Sending_stops_at_the_receiver_window_and_resumes_with_the_next_status_message()
    {
        using var peer = new RawUdpPeer();
        using var publisher = NewConnectedPublisher(peer, 64 * 1024, window: 1024);

        for (var i = 0; i < 40; i++)
        {
            Assert.That(publisher.Offer(new byte[32]), Is.EqualTo(AeronOfferResult.Success));
        }

        var received = 0;
        while (received < 1024)
        {
            var datagram = peer.ReceiveData("DATA within the window");
            Assert.That(datagram.Length, Is.LessThanOrEqualTo(1024));
            received += datagram.Length;
        }

        // Only heartbeats now: the window is used up.
        Wait.Until(() => publisher.Counters.HeartbeatsSent >= 2, "heartbeats while blocked by the window");
        Assert.That(received, Is.EqualTo(1024));
        Assert.That(publisher.SenderPosition, Is.EqualTo(1024));

        SendStatusMessage(peer, publisher, Initial, 1024, 1024);
        var next = new DataHeaderFlyweight(peer.ReceiveData("DATA after the window moved"));
        Assert.That(next.TermOffset, Is.EqualTo(1024));
    }

    [Test]
    public void A_3000_byte_message_goes_out_as_three_fragments()
    {
        using var peer = new RawUdpPeer();
        using var publisher = NewConnectedPublisher(peer, 1024 * 1024, window: 128 * 1024);

        Assert.That(publisher.Offer(new byte[3000]), Is.EqualTo(AeronOfferResult.Success));
        var frames = new List<(int Length, int Datagram, byte Flags, int Offset)>();
        while (frames.Count < 3)
        {
            var datagram = peer.ReceiveData("fragments");
            for (var offset = 0; offset < datagram.Length;)
            {
                var frame = new DataHeaderFlyweight(datagram.AsSpan(offset));
                frames.Add((frame.Header.FrameLength, datagram.Length, frame.Header.Flags, frame.TermOffset));
                offset += AeronLogBuffer.Align(frame.Header.FrameLength, 32);
            }
        }

        // [observed] 1376+1376+248: frame lengths 1408, 1408, 280 (aligned 288).
        Assert.That(frames.Select(f => f.Length), Is.EqualTo(new[] { 1408, 1408, 280 }));
        Assert.That(frames.Select(f => f.Flags), Is.EqualTo(new byte[] { 0x80, 0x00, 0x40 }));
        Assert.That(frames.Select(f => f.Offset), Is.EqualTo(new[] { 0, 1408, 2816 }));
    }

    [Test]
    public void A_pad_header_fills_the_term_end_and_the_next_term_starts_at_zero()
    {
        using var peer = new RawUdpPeer();
        using var publisher = NewConnectedPublisher(peer, 64 * 1024, window: 32 * 1024);

        // 1023 frames of 64 bytes bring the tail to 65472; the next 100-byte message does not fit.
        var sent = 0;
        long acknowledged = 0;
        while (sent < 1023)
        {
            var result = publisher.Offer(new byte[20]);
            if (result == AeronOfferResult.Success)
            {
                sent++;
            }

            // Play a receiver that consumes everything it is sent.
            while (peer.TryReceive(result == AeronOfferResult.Success ? 0 : 5) is { } datagram)
            {
                if (datagram.Length > 32)
                {
                    acknowledged += datagram.Length;
                    SendStatusMessage(peer, publisher, Initial, (int)acknowledged, 32 * 1024);
                }
            }
        }

        Wait.Until(
            () =>
            {
                while (peer.TryReceive(1) is { } datagram)
                {
                    acknowledged += datagram.Length > 32 ? datagram.Length : 0;
                    SendStatusMessage(peer, publisher, Initial, (int)acknowledged, 32 * 1024);
                }

                return publisher.SenderPosition == 65472;
            },
            "everything before the term end sent");
        Assert.That(publisher.Offer(new byte[100]), Is.EqualTo(AeronOfferResult.Success));
        var pad = peer.ReceiveUntil(d => d.Length == 32 && new DataHeaderFlyweight(d).Header.Type == AeronFrameType.Pad, "a PAD header");
        var padFrame = new DataHeaderFlyweight(pad);
        var next = new DataHeaderFlyweight(peer.ReceiveUntil(d => d.Length > 32 && new DataHeaderFlyweight(d).TermId == Initial + 1, "DATA in the next term"));

        using (Assert.EnterMultipleScope())
        {
            // [observed] udp_len=32, frame_length=64, term_offset=65472; next DATA term_id+1, offset 0.
            Assert.That(padFrame.Header.FrameLength, Is.EqualTo(64));
            Assert.That(padFrame.TermOffset, Is.EqualTo(65472));
            Assert.That(padFrame.TermId, Is.EqualTo(Initial));
            Assert.That(next.TermOffset, Is.Zero);
            Assert.That(next.Header.FrameLength, Is.EqualTo(132));
        }
    }

    [Test]
    public void A_nak_is_answered_with_the_frame_again()
    {
        using var peer = new RawUdpPeer();
        using var publisher = NewConnectedPublisher(peer, 64 * 1024, window: 32 * 1024);
        publisher.Offer("first"u8);
        var original = peer.ReceiveData("the DATA");

        var nak = new byte[28];
        NakFlyweight.Encode(nak, Session, AeronTestRig.StreamId, Initial, 0, 64);
        peer.Send(nak, publisher.LocalEndPoint);

        var again = peer.ReceiveData("the retransmission");
        Assert.That(again, Is.EqualTo(original));
        Wait.Until(() => publisher.Counters.RetransmitDatagramsSent == 1, "retransmission counted");
    }

    [Test]
    public void A_send_setup_request_gets_a_setup_at_the_current_position()
    {
        using var peer = new RawUdpPeer();
        using var publisher = NewConnectedPublisher(peer, 64 * 1024, window: 32 * 1024);
        for (var i = 0; i < 24; i++)
        {
            publisher.Offer(new byte[32]);
        }

        Wait.Until(() => publisher.SenderPosition == 24 * 64, "24 messages sent");

        // SETUPs the publisher repeated before it saw our status message may still wait in the socket: take them
        // first, so the SETUP read below is the answer to the request (loopback delivers inside sendto, and a
        // connected publisher sends none unasked).
        while (peer.TryReceive(0) is not null)
        {
        }

        var request = new byte[36];
        StatusMessageFlyweight.Encode(request, AeronProtocol.SendSetupFlag, Session, AeronTestRig.StreamId, 0, 0, 0, 9);
        peer.Send(request, publisher.LocalEndPoint);

        var setup = new SetupFlyweight(peer.ReceiveType(AeronFrameType.Setup, "SETUP on request"));
        Assert.That(setup.TermOffset, Is.EqualTo(24 * 64));
        Assert.That(setup.ActiveTermId, Is.EqualTo(Initial));
    }

    [Test]
    public void Heartbeats_flow_when_idle_and_carry_end_of_stream_on_close()
    {
        using var peer = new RawUdpPeer();
        var publisher = NewConnectedPublisher(peer, 64 * 1024, window: 32 * 1024, TimeSpan.FromMinutes(1));
        try
        {
            for (var i = 0; i < 5; i++)
            {
                publisher.Offer(new byte[32]);
            }

            var heartbeat = peer.ReceiveUntil(d => new DataHeaderFlyweight(d).IsHeartbeat, "an idle heartbeat");
            Assert.That(new DataHeaderFlyweight(heartbeat).Header.Flags, Is.EqualTo(0xC0));
        }
        finally
        {
            var closing = Task.Run(publisher.Dispose);
            var eos = new DataHeaderFlyweight(peer.ReceiveUntil(
                d => new DataHeaderFlyweight(d).IsHeartbeat && (d[5] & AeronProtocol.EndOfStreamFlag) != 0, "an EOS heartbeat"));

            // [observed] an EOS heartbeat at term_offset 256 followed 5 messages; flags B|E|EOS.
            Assert.That(eos.Header.Flags, Is.EqualTo(0xE0));
            Assert.That(eos.TermOffset, Is.EqualTo(320));
            var sm = new byte[36];
            StatusMessageFlyweight.Encode(sm, AeronProtocol.StatusMessageEndOfStreamFlag, Session, AeronTestRig.StreamId, Initial, 320, 0, 9);
            peer.Send(sm, publisher.LocalEndPoint);
            Assert.That(closing.Wait(Wait.Generous), Is.True, "Dispose returns once the end is acknowledged");
        }

        Assert.That(publisher.Offer(new byte[1]), Is.EqualTo(AeronOfferResult.Closed));
    }

    private static AeronPublisher NewPublisher(RawUdpPeer peer, int termLength, TimeSpan? closeLinger = null) =>
        new(AeronTestRig.PublisherOptions(peer.EndPoint, o =>
        {
            o.SessionId = Session;
            o.InitialTermId = Initial;
            o.TermLength = termLength;
            o.CloseLingerTimeout = closeLinger ?? TimeSpan.FromMilliseconds(50);
        }));

    /// <summary>A publisher that has sent the peer its SETUP and had the peer's first status message: connected.</summary>
    private static AeronPublisher NewConnectedPublisher(RawUdpPeer peer, int termLength, int window, TimeSpan? closeLinger = null)
    {
        var publisher = NewPublisher(peer, termLength, closeLinger);
        try
        {
            peer.ReceiveType(AeronFrameType.Setup, "SETUP");
            SendStatusMessage(peer, publisher, Initial, 0, window);
            AeronTestRig.WaitConnected(publisher);
            return publisher;
        }
        catch
        {
            publisher.Dispose();
            throw;
        }
    }

    private static void SendStatusMessage(RawUdpPeer peer, AeronPublisher publisher, int termId, int termOffset, int window)
    {
        var sm = new byte[36];
        StatusMessageFlyweight.Encode(sm, 0, Session, AeronTestRig.StreamId, termId, termOffset, window, 9);
        peer.Send(sm, publisher.LocalEndPoint);
    }
}
