namespace Edge.Ingest.Tests.Aeron;

/// <summary>
/// The receiver's protocol logic fed hand-built datagrams in memory, with a hand-driven clock: exact checks of
/// the status messages, NAKs and image life that a real-socket test can only see from the outside.
/// </summary>
public sealed class AeronDispatcherTests
{
    private const long ReceiverId = 0x0102030405060708;
    private const int Session = 77;
    private const int Initial = 1000;
    private const long Ms = 1_000_000;

    private static readonly SocketAddress Source = new IPEndPoint(IPAddress.Loopback, 40001).Serialize();
    private static readonly SocketAddress OtherSource = new IPEndPoint(IPAddress.Loopback, 40002).Serialize();

    private RecordingHandler _handler = null!;
    private RecordingControlTransport _transport = null!;
    private AeronReceiverCounters _counters = null!;
    private AeronDataPacketDispatcher<RecordingHandler> _dispatcher = null!;
    private FrameBuilder _frames = null!;
    private long _now;

    [SetUp]
    public void SetUp() => Build(_ => { });

    [Test]
    public void Setup_is_answered_at_once_with_a_status_message_at_the_join_position()
    {
        _dispatcher.OnDatagram(_frames.Setup(1006, 288), Source, _now);

        var sm = Single(_transport.Frames(), AeronFrameType.StatusMessage);
        var frame = new StatusMessageFlyweight(sm);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sm, Has.Length.EqualTo(36));
            Assert.That(frame.Header.Flags, Is.Zero);
            Assert.That(frame.SessionId, Is.EqualTo(Session));
            Assert.That(frame.StreamId, Is.EqualTo(AeronTestRig.StreamId));
            Assert.That(frame.ConsumptionTermId, Is.EqualTo(1006));
            Assert.That(frame.ConsumptionTermOffset, Is.EqualTo(288));
            Assert.That(frame.ReceiverWindow, Is.EqualTo(32768), "min(128 KiB, 64 KiB / 2)");
            Assert.That(frame.ReceiverId, Is.EqualTo(ReceiverId));
            Assert.That(_transport.Sent[0].Destination, Is.EqualTo(Source));
            Assert.That(_handler.Events(), Is.Empty, "no image event before data");
        }
    }

    [Test]
    public void The_window_is_512_KiB_for_large_terms()
    {
        var frames = new FrameBuilder(Session, AeronTestRig.StreamId, Initial, 16 * 1024 * 1024);

        _dispatcher.OnDatagram(frames.Setup(Initial, 0), Source, _now);

        Assert.That(new StatusMessageFlyweight(_transport.Frames()[0]).ReceiverWindow, Is.EqualTo(524288));
    }

    [Test]
    public void Status_messages_follow_the_interval_and_a_quarter_window_of_consumption()
    {
        _dispatcher.OnDatagram(_frames.Setup(Initial, 0), Source, _now);
        _transport.Clear();

        _dispatcher.OnTimers(_now + (100 * Ms));
        Assert.That(_transport.Frames(), Is.Empty, "nothing due after 100 ms");
        _dispatcher.OnTimers(_now + (200 * Ms));
        Assert.That(_transport.Frames(), Has.Length.EqualTo(1), "one after 200 ms");
        _transport.Clear();

        // 8 KiB (a quarter of the 32 KiB window) consumed: an SM goes out before the interval.
        _dispatcher.OnDatagram(_frames.Messages(Initial, 0, 0, 8, 992), Source, _now + (201 * Ms));
        _dispatcher.OnTimers(_now + (202 * Ms));
        var sm = new StatusMessageFlyweight(Single(_transport.Frames(), AeronFrameType.StatusMessage));
        Assert.That(sm.ConsumptionTermOffset, Is.EqualTo(8192));
    }

    [Test]
    public void Data_is_delivered_and_several_frames_per_datagram_are_taken()
    {
        Join();

        _dispatcher.OnDatagram(_frames.Messages(Initial, 0, 0, 22, 32), Source, _now);

        Assert.That(_handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 22)));
        Assert.That(_handler.Events(), Is.EqualTo(new[] { $"available {Session}", "feed up" }));
    }

    [Test]
    public void Duplicates_are_ignored()
    {
        Join();
        var datagram = _frames.Messages(Initial, 0, 0, 4, 24);
        var later = _frames.Messages(Initial, 4 * 64, 4, 1, 24);

        _dispatcher.OnDatagram(later, Source, _now);
        _dispatcher.OnDatagram(later, Source, _now);
        _dispatcher.OnDatagram(datagram, Source, _now);
        _dispatcher.OnDatagram(datagram, Source, _now);

        Assert.That(_handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 5)));
        Assert.That(_counters.Dropped(AeronDropReason.Duplicate), Is.EqualTo(1));
        Assert.That(_counters.Dropped(AeronDropReason.UnderRun), Is.EqualTo(4));
    }

    [Test]
    public void A_gap_is_naked_after_the_delay_and_again_while_it_stays()
    {
        Join();
        _dispatcher.OnDatagram(_frames.Messages(Initial, 0, 0, 1, 24), Source, _now);
        _dispatcher.OnDatagram(_frames.Messages(Initial, 128, 2, 1, 24), Source, _now);
        _transport.Clear();

        _dispatcher.OnTimers(_now);
        Assert.That(Naks(), Is.Empty, "not before the NAK delay");

        _dispatcher.OnTimers(_now + (Ms / 5));
        Assert.That(Naks(), Is.EqualTo(new[] { (Initial, 64, 64) }));

        _dispatcher.OnTimers(_now + (5 * Ms));
        Assert.That(Naks(), Has.Length.EqualTo(1), "no retry before 10 ms");

        _dispatcher.OnTimers(_now + (11 * Ms));
        Assert.That(Naks(), Has.Length.EqualTo(2), "retried while the gap stays");

        _dispatcher.OnDatagram(_frames.Messages(Initial, 64, 1, 1, 24), Source, _now + (12 * Ms));
        _dispatcher.OnTimers(_now + (30 * Ms));
        Assert.That(Naks(), Has.Length.EqualTo(2), "no NAK once filled");
        Assert.That(_handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 3)));
    }

    [Test]
    public void A_heartbeat_reveals_tail_loss()
    {
        Join();
        _dispatcher.OnDatagram(_frames.Messages(Initial, 0, 0, 1, 24), Source, _now);
        _dispatcher.OnDatagram(_frames.Heartbeat(Initial, 192), Source, _now);
        _dispatcher.OnTimers(_now);

        _dispatcher.OnTimers(_now + Ms);

        Assert.That(Naks(), Is.EqualTo(new[] { (Initial, 64, 128) }));
    }

    [Test]
    public void A_gap_is_never_naked_across_a_term_boundary()
    {
        _dispatcher.OnDatagram(_frames.Setup(Initial, 65536 - 128), Source, _now);
        _dispatcher.OnDatagram(_frames.Messages(Initial + 1, 64, 0, 1, 24), Source, _now);
        _dispatcher.OnTimers(_now);

        _dispatcher.OnTimers(_now + Ms);

        Assert.That(Naks(), Is.EqualTo(new[] { (Initial, 65536 - 128, 128) }));
    }

    [Test]
    public void Pad_at_the_term_end_moves_to_the_next_term()
    {
        // [observed] with a 64 KiB term and a start at offset 65472, a PAD went out with udp_len=32,
        // frame_length=64, and the next DATA had term_id+1 and term_offset 0.
        _dispatcher.OnDatagram(_frames.Setup(Initial + 3, 65472), Source, _now);
        _dispatcher.OnDatagram(_frames.Pad(Initial + 3, 65472, 64), Source, _now);
        _dispatcher.OnDatagram(_frames.Messages(Initial + 4, 0, 9, 1, 100), Source, _now);

        Assert.That(_handler.Sequences(), Is.EqualTo(new long[] { 9 }));
    }

    [Test]
    public void Data_in_the_next_term_before_the_pad_is_kept_until_the_pad_arrives()
    {
        _dispatcher.OnDatagram(_frames.Setup(Initial, 65536 - 64), Source, _now);
        _dispatcher.OnDatagram(_frames.Messages(Initial + 1, 0, 1, 2, 24), Source, _now);
        Assert.That(_handler.Count, Is.Zero);

        _dispatcher.OnDatagram(_frames.Pad(Initial, 65536 - 64, 64), Source, _now);

        Assert.That(_handler.Sequences(), Is.EqualTo(new long[] { 1, 2 }));
    }

    [Test]
    public void Terms_roll_over_through_the_window_sized_buffer_many_times()
    {
        // 64 KiB terms, 32 KiB window: the rebuild buffer (32 KiB) wraps twice per term.
        Join();
        var termOffset = 0;
        var termId = Initial;
        long sequence = 0;
        for (var datagram = 0; datagram < 2000; datagram++)
        {
            // 21 frames of 64 bytes: 1344 bytes, so datagrams straddle the buffer's wrap point.
            var count = Math.Min(21, (65536 - termOffset) / 64);
            _dispatcher.OnDatagram(_frames.Messages(termId, termOffset, sequence, count, 24), Source, _now);
            sequence += count;
            termOffset += count * 64;
            if (termOffset == 65536)
            {
                termOffset = 0;
                termId++;
            }

            _dispatcher.OnTimers(_now);
        }

        Assert.That(termId - Initial, Is.GreaterThan(30));
        Assert.That(_handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, (int)sequence)));
        Assert.That(_handler.Corrupt, Is.Zero);
    }

    [Test]
    public void Data_beyond_the_window_is_dropped_as_over_run()
    {
        Join();

        _dispatcher.OnDatagram(_frames.Messages(Initial, 32768, 0, 1, 24), Source, _now);
        _dispatcher.OnDatagram(_frames.Messages(Initial + 5, 0, 0, 1, 24), Source, _now);

        Assert.That(_counters.Dropped(AeronDropReason.OverRun), Is.EqualTo(2));
        _dispatcher.OnTimers(_now + Ms);
        Assert.That(Naks(), Is.Empty, "an over-run does not raise the high-water mark");
    }

    [Test]
    public void Unknown_sessions_are_asked_for_setup_at_most_once_a_second()
    {
        _dispatcher.OnDatagram(_frames.Messages(Initial, 0, 0, 1, 24), Source, _now);
        _dispatcher.OnDatagram(_frames.Messages(Initial, 64, 1, 1, 24), Source, _now + (500 * Ms));
        _dispatcher.OnDatagram(_frames.Heartbeat(Initial, 64, endOfStream: true), Source, _now + (1500 * Ms));
        Assert.That(_transport.Frames(), Has.Length.EqualTo(1), "once per second, never for EOS");
        _dispatcher.OnDatagram(_frames.Messages(Initial, 64, 1, 1, 24), Source, _now + (1001 * Ms));

        var requests = _transport.Frames();
        Assert.That(requests, Has.Length.EqualTo(2));
        var sm = new StatusMessageFlyweight(requests[0]);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sm.Header.Flags, Is.EqualTo(AeronProtocol.SendSetupFlag));
            Assert.That(sm.SessionId, Is.EqualTo(Session));
            Assert.That(sm.StreamId, Is.EqualTo(AeronTestRig.StreamId));
            Assert.That(sm.ConsumptionTermId, Is.Zero);
            Assert.That(sm.ConsumptionTermOffset, Is.Zero);
            Assert.That(sm.ReceiverWindow, Is.Zero);
            Assert.That(_counters.SetupRequestsSent, Is.EqualTo(2));
        }
    }

    [Test]
    public void The_same_session_from_another_source_is_another_image()
    {
        Join();
        _dispatcher.OnDatagram(_frames.Setup(Initial, 0), OtherSource, _now);
        _dispatcher.OnDatagram(_frames.Heartbeat(Initial, 0), OtherSource, _now);

        Assert.That(_handler.Available(), Has.Length.EqualTo(2));
        Assert.That(_handler.FeedUps, Is.EqualTo(1));
    }

    [Test]
    public void End_of_stream_ends_the_image_once_everything_before_it_is_delivered()
    {
        Join();
        _dispatcher.OnDatagram(_frames.Messages(Initial, 0, 0, 1, 24), Source, _now);
        _dispatcher.OnDatagram(_frames.Heartbeat(Initial, 128, endOfStream: true), Source, _now);
        Assert.That(_handler.FeedDowns, Is.Zero, "a message is still missing");
        _transport.Clear();

        _dispatcher.OnDatagram(_frames.Messages(Initial, 64, 1, 1, 24), Source, _now);

        var sm = new StatusMessageFlyweight(Single(_transport.Frames(), AeronFrameType.StatusMessage));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_handler.Sequences(), Is.EqualTo(new long[] { 0, 1 }));
            Assert.That(_handler.Events()[^2..], Is.EqualTo(new[] { $"unavailable {Session} EndOfStream", "feed down" }));
            Assert.That(sm.Header.Flags, Is.EqualTo(AeronProtocol.StatusMessageEndOfStreamFlag));
            Assert.That(sm.ConsumptionTermOffset, Is.EqualTo(128));
        }

        // Lingering: EOS SMs for a few periods, then the slot is freed.
        _dispatcher.OnDatagram(_frames.Messages(Initial, 128, 2, 1, 24), Source, _now);
        Assert.That(_counters.Dropped(AeronDropReason.ImageClosed), Is.EqualTo(1));
        _dispatcher.OnTimers(_now + (2 * 1000 * Ms));
        Assert.That(_dispatcher.ImageCount, Is.Zero);
    }

    [Test]
    public void Silence_past_the_liveness_timeout_ends_the_image()
    {
        Join();
        _dispatcher.OnTimers(_now + (999 * Ms));
        Assert.That(_handler.FeedDowns, Is.Zero);

        _dispatcher.OnTimers(_now + (1000 * Ms));

        Assert.That(_handler.Unavailable().Single().Reason, Is.EqualTo(AeronImageEndReason.LivenessTimeout));
        Assert.That(_handler.FeedDowns, Is.EqualTo(1));
        Assert.That(_dispatcher.ImageCount, Is.Zero);
    }

    [Test]
    public void A_setup_without_data_expires_silently()
    {
        _dispatcher.OnDatagram(_frames.Setup(Initial, 0), Source, _now);

        _dispatcher.OnTimers(_now + (300 * Ms));

        Assert.That(_dispatcher.ImageCount, Is.Zero);
        Assert.That(_counters.PendingImagesExpired, Is.EqualTo(1));
        Assert.That(_handler.Events(), Is.Empty);
    }

    [Test]
    public void Setups_beyond_the_image_cap_are_dropped()
    {
        Build(o => o.MaxImages = 2);
        for (var session = 1; session <= 5; session++)
        {
            _dispatcher.OnDatagram(_frames.Setup(Initial, 0, sessionId: session), Source, _now);
        }

        Assert.That(_dispatcher.ImageCount, Is.EqualTo(2));
        Assert.That(_counters.Dropped(AeronDropReason.ImageLimitReached), Is.EqualTo(3));
    }

    [TestCase(65536 + 1, 1408, AeronSetupRefusalReason.InvalidTermLength)]
    [TestCase(32768, 1408, AeronSetupRefusalReason.InvalidTermLength)]
    [TestCase(int.MinValue, 1408, AeronSetupRefusalReason.InvalidTermLength)]
    [TestCase(65536, 1400, AeronSetupRefusalReason.InvalidMtu)]
    [TestCase(65536, 65536, AeronSetupRefusalReason.InvalidMtu)]
    [TestCase(65536, 0, AeronSetupRefusalReason.InvalidMtu)]
    public void Setups_with_absurd_term_lengths_or_mtus_are_refused_and_reported(int termLength, int mtu, AeronSetupRefusalReason reason)
    {
        _dispatcher.OnDatagram(_frames.Setup(Initial, 0, termLength: termLength, mtu: mtu), Source, _now);

        var refusal = _handler.Refusals().Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_counters.Dropped(AeronDropReason.InvalidSetup), Is.EqualTo(1));
            Assert.That(_dispatcher.ImageCount, Is.Zero);
            Assert.That(_transport.Frames(), Is.Empty);
            Assert.That(refusal.Reason, Is.EqualTo(reason));
            Assert.That(refusal.Source, Is.EqualTo(new IPEndPoint(IPAddress.Loopback, 40001)));
            Assert.That(refusal.SessionId, Is.EqualTo(Session));
            Assert.That(refusal.StreamId, Is.EqualTo(AeronTestRig.StreamId));
            Assert.That(refusal.TermLength, Is.EqualTo(termLength));
            Assert.That(refusal.Mtu, Is.EqualTo(mtu));
            Assert.That(refusal.Suppressed, Is.Zero);
            Assert.That(refusal.ToString(), Does.Contain("127.0.0.1:40001").And.Contain($"session {Session}"));
        }
    }

    [Test]
    public void The_largest_mtu_with_64_KiB_terms_is_accepted_as_the_C_driver_does()
    {
        // C checks the MTU against the configured window (128 KiB), and clamps the window to term length / 2.
        _dispatcher.OnDatagram(_frames.Setup(Initial, 0, mtu: 65504), Source, _now);
        var sm = new StatusMessageFlyweight(Single(_transport.Frames(), AeronFrameType.StatusMessage));
        var largest = new FrameBuilder(Session, AeronTestRig.StreamId, Initial, 65536, mtu: 65504);
        var message = new byte[AeronLogBuffer.MaxMessageLength(65536)];
        TestMessages.Fill(message, 0);

        _dispatcher.OnDatagram(largest.Data(Initial, 0, message), Source, _now);
        _dispatcher.OnDatagram(largest.Messages(Initial, 8224, 1, 3, 24), Source, _now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(sm.ReceiverWindow, Is.EqualTo(32768), "min(128 KiB, 64 KiB / 2)");
            Assert.That(_counters.Dropped(AeronDropReason.InvalidSetup), Is.Zero);
            Assert.That(_handler.Available().Single().Mtu, Is.EqualTo(65504));
            Assert.That(_handler.Sequences(), Is.EqualTo(AeronTestRig.Range(0, 4)));
            Assert.That(_handler.Lengths()[0], Is.EqualTo(8192));
            Assert.That(_handler.Refusals(), Is.Empty);
        }
    }

    [Test]
    public void An_mtu_above_the_configured_window_is_refused()
    {
        Build(o => o.ReceiverWindowLength = 16384);

        _dispatcher.OnDatagram(_frames.Setup(Initial, 0, mtu: 16416), Source, _now);
        _dispatcher.OnDatagram(_frames.Setup(Initial, 0, mtu: 16384, sessionId: Session + 1), Source, _now);

        Assert.That(_handler.Refusals().Single().Reason, Is.EqualTo(AeronSetupRefusalReason.MtuAboveReceiverWindow));
        Assert.That(_handler.Refusals().Single().Detail, Does.Contain("16416").And.Contain("16384"));
        Assert.That(_dispatcher.ImageCount, Is.EqualTo(1), "an MTU equal to the window is fine");
    }

    [Test]
    public void Refusals_are_reported_once_per_source_per_interval_and_counted_always()
    {
        Build(o => o.SetupRefusalReportInterval = TimeSpan.FromSeconds(10));

        // A sender retrying every 100 ms for 9.9 s: one report.
        for (var i = 0; i < 100; i++)
        {
            _dispatcher.OnDatagram(_frames.Setup(Initial, 0, mtu: 1400), Source, _now + (i * 100 * Ms));
        }

        Assert.That(_handler.Refusals(), Has.Length.EqualTo(1));
        _dispatcher.OnDatagram(_frames.Setup(Initial, 0, mtu: 1400), OtherSource, _now);
        Assert.That(_handler.Refusals(), Has.Length.EqualTo(2), "another source is reported on its own");

        _dispatcher.OnDatagram(_frames.Setup(Initial, 0, mtu: 1400), Source, _now + (10_000 * Ms));

        var refusals = _handler.Refusals();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refusals, Has.Length.EqualTo(3));
            Assert.That(refusals[2].Suppressed, Is.EqualTo(99), "the held-back refusals are reported as a number");
            Assert.That(_counters.Dropped(AeronDropReason.InvalidSetup), Is.EqualTo(102));
            Assert.That(_counters.SetupRefusalsReported, Is.EqualTo(3));
        }
    }

    [Test]
    public void Refusals_from_many_sources_are_reported_at_most_a_few_a_second()
    {
        for (var port = 1; port <= 100; port++)
        {
            var source = new IPEndPoint(IPAddress.Loopback, 50000 + port).Serialize();
            _dispatcher.OnDatagram(_frames.Setup(Initial, 0, mtu: 1400), source, _now);
        }

        Assert.That(_handler.Refusals(), Has.Length.EqualTo(8));
        Assert.That(_counters.Dropped(AeronDropReason.InvalidSetup), Is.EqualTo(100));

        // A second later the budget is there again: refusals keep being reported for the life of the receiver.
        var later = _now + (1100 * Ms);
        for (var port = 101; port <= 110; port++)
        {
            var source = new IPEndPoint(IPAddress.Loopback, 50000 + port).Serialize();
            _dispatcher.OnDatagram(_frames.Setup(Initial, 0, mtu: 1400), source, later);
        }

        Assert.That(_handler.Refusals(), Has.Length.EqualTo(16));
    }

    [Test]
    public void A_setup_beyond_the_image_cap_is_reported()
    {
        Build(o => o.MaxImages = 1);
        Join();

        _dispatcher.OnDatagram(_frames.Setup(Initial, 0, sessionId: Session + 1), Source, _now);

        Assert.That(_handler.Refusals().Single().Reason, Is.EqualTo(AeronSetupRefusalReason.ImageLimitReached));
        Assert.That(_handler.Refusals().Single().SessionId, Is.EqualTo(Session + 1));
    }

    [Test]
    public void A_setup_with_another_initial_term_id_replaces_the_image_at_once()
    {
        Join();
        _dispatcher.OnDatagram(_frames.Messages(Initial, 0, 0, 4, 24), Source, _now);
        var restarted = new FrameBuilder(Session, AeronTestRig.StreamId, Initial + 777, 65536);

        _dispatcher.OnDatagram(restarted.Setup(Initial + 777, 0), Source, _now + Ms);

        var sm = new StatusMessageFlyweight(Single(_transport.Frames(), AeronFrameType.StatusMessage));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(sm.Header.Flags, Is.Zero, "no EOS: it would reach the new publication");
            Assert.That(sm.ConsumptionTermId, Is.EqualTo(Initial + 777));
            Assert.That(sm.ConsumptionTermOffset, Is.Zero);
            Assert.That(_handler.Unavailable().Single().Reason, Is.EqualTo(AeronImageEndReason.PublisherRestarted));
            Assert.That(_counters.ImagesReplaced, Is.EqualTo(1));
            Assert.That(_dispatcher.ImageCount, Is.EqualTo(1));
        }

        _dispatcher.OnDatagram(restarted.Messages(Initial + 777, 0, 100, 3, 24), Source, _now + (2 * Ms));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_handler.Sequences(), Is.EqualTo(new long[] { 0, 1, 2, 3, 100, 101, 102 }));
            Assert.That(_handler.Events(), Is.EqualTo(new[]
            {
                $"available {Session}", "feed up", $"unavailable {Session} PublisherRestarted", "feed down", $"available {Session}", "feed up",
            }));
            Assert.That(_handler.Available()[1].InitialTermId, Is.EqualTo(Initial + 777));
            Assert.That(_handler.Available()[1].ImageId, Is.GreaterThan(_handler.Available()[0].ImageId));
            Assert.That(_counters.Dropped(AeronDropReason.OverRun), Is.Zero);
        }
    }

    [Test]
    public void A_publisher_restarted_right_after_a_clean_close_does_not_wait_for_the_linger()
    {
        Join();
        _dispatcher.OnDatagram(_frames.Messages(Initial, 0, 0, 1, 24), Source, _now);
        _dispatcher.OnDatagram(_frames.Heartbeat(Initial, 64, endOfStream: true), Source, _now);
        var restarted = new FrameBuilder(Session, AeronTestRig.StreamId, Initial + 5, 65536);
        _transport.Clear();

        _dispatcher.OnDatagram(restarted.Setup(Initial + 5, 0), Source, _now + Ms);
        _dispatcher.OnDatagram(restarted.Messages(Initial + 5, 0, 10, 1, 24), Source, _now + Ms);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_handler.Sequences(), Is.EqualTo(new long[] { 0, 10 }));
            Assert.That(_handler.Unavailable().Single().Reason, Is.EqualTo(AeronImageEndReason.EndOfStream));
            Assert.That(new StatusMessageFlyweight(_transport.Frames()[0]).Header.Flags, Is.Zero, "the new image's first SM");
            Assert.That(_dispatcher.ImageCount, Is.EqualTo(1));
            Assert.That(_counters.ImagesReplaced, Is.Zero, "the old image had already ended");
        }
    }

    [Test]
    public void A_setup_behind_what_was_delivered_is_a_restart_with_the_same_initial_term_id()
    {
        Join();
        _dispatcher.OnDatagram(_frames.Messages(Initial, 0, 0, 4, 24), Source, _now);

        _dispatcher.OnDatagram(_frames.Setup(Initial, 0), Source, _now + Ms);
        _dispatcher.OnDatagram(_frames.Messages(Initial, 0, 100, 2, 24), Source, _now + (2 * Ms));

        Assert.That(_handler.Unavailable().Single().Reason, Is.EqualTo(AeronImageEndReason.PublisherRestarted));
        Assert.That(_handler.Sequences(), Is.EqualTo(new long[] { 0, 1, 2, 3, 100, 101 }));
    }

    [Test]
    public void A_setup_of_the_same_stream_at_or_ahead_of_the_position_only_refreshes()
    {
        Join();
        _dispatcher.OnDatagram(_frames.Messages(Initial, 0, 0, 4, 24), Source, _now);
        _transport.Clear();

        _dispatcher.OnDatagram(_frames.Setup(Initial, 256), Source, _now + Ms);
        _dispatcher.OnDatagram(_frames.Setup(Initial, 512), Source, _now + Ms);
        _dispatcher.OnTimers(_now + Ms);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_handler.Unavailable(), Is.Empty);
            Assert.That(_counters.ImagesReplaced, Is.Zero);
            Assert.That(Single(_transport.Frames(), AeronFrameType.StatusMessage), Is.Not.Null, "the refresh is answered");
        }
    }

    [Test]
    public void Data_that_cannot_belong_to_the_image_asks_for_a_setup_which_settles_it()
    {
        Join();
        _dispatcher.OnDatagram(_frames.Messages(Initial, 0, 0, 4, 24), Source, _now);
        var restarted = new FrameBuilder(Session, AeronTestRig.StreamId, Initial + 0x40000000, 65536);

        // Connected by one of the old image's status messages, the new publication sends before any SETUP of ours.
        _dispatcher.OnDatagram(restarted.Messages(Initial + 0x40000000, 0, 100, 2, 24), Source, _now + Ms);
        _dispatcher.OnDatagram(restarted.Heartbeat(Initial + 0x40000000, 128), Source, _now + Ms);

        var request = new StatusMessageFlyweight(Single(_transport.Frames(), AeronFrameType.StatusMessage));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(request.Header.Flags, Is.EqualTo(AeronProtocol.SendSetupFlag), "asked once for a SETUP");
            Assert.That(_handler.Unavailable(), Is.Empty, "the SETUP decides, not one stray frame");
        }

        _dispatcher.OnDatagram(restarted.Setup(Initial + 0x40000000, 128), Source, _now + (2 * Ms));
        _dispatcher.OnDatagram(restarted.Messages(Initial + 0x40000000, 128, 102, 2, 24), Source, _now + (3 * Ms));

        Assert.That(_handler.Unavailable().Single().Reason, Is.EqualTo(AeronImageEndReason.PublisherRestarted));
        Assert.That(_handler.Sequences(), Is.EqualTo(new long[] { 0, 1, 2, 3, 102, 103 }));
    }

    [Test]
    public void Heartbeats_of_another_stream_do_not_keep_the_image_alive()
    {
        Join();
        _dispatcher.OnDatagram(_frames.Messages(Initial, 0, 0, 4, 24), Source, _now);
        var restarted = new FrameBuilder(Session, AeronTestRig.StreamId, Initial - 50, 65536);

        for (var ms = 100; ms <= 1000; ms += 100)
        {
            _dispatcher.OnDatagram(restarted.Heartbeat(Initial - 50, 0), Source, _now + (ms * Ms));
            _dispatcher.OnTimers(_now + (ms * Ms));
        }

        Assert.That(_handler.Unavailable().Single().Reason, Is.EqualTo(AeronImageEndReason.LivenessTimeout));
    }

    [Test]
    public void A_join_in_the_middle_of_a_message_skips_its_tail()
    {
        Join();
        var middle = _frames.Data(Initial, 0, new byte[100], 0);
        var end = _frames.Data(Initial, 160, new byte[100], AeronProtocol.EndFlag);
        var whole = _frames.Messages(Initial, 320, 5, 1, 24);

        _dispatcher.OnDatagram(FrameBuilder.Concat(middle, end, whole), Source, _now);

        Assert.That(_handler.Sequences(), Is.EqualTo(new long[] { 5 }));
        Assert.That(_counters.Dropped(AeronDropReason.FragmentDiscarded), Is.EqualTo(2));
    }

    [Test]
    public void Fragments_are_reassembled_across_datagrams()
    {
        Join();
        var message = new byte[3000];
        TestMessages.Fill(message, 42);

        _dispatcher.OnDatagram(_frames.Data(Initial, 0, message.AsSpan(0, 1376), AeronProtocol.BeginFlag), Source, _now);
        _dispatcher.OnDatagram(_frames.Data(Initial, 2816, message.AsSpan(2752), AeronProtocol.EndFlag), Source, _now);
        _dispatcher.OnDatagram(_frames.Data(Initial, 1408, message.AsSpan(1376, 1376), 0), Source, _now);

        Assert.That(_handler.Sequences(), Is.EqualTo(new long[] { 42 }));
        Assert.That(_handler.Lengths(), Is.EqualTo(new[] { 3000 }));
        Assert.That(_handler.Corrupt, Is.Zero);
    }

    [Test]
    public void Messages_longer_than_the_maximum_are_discarded()
    {
        Build(o => o.MaxMessageLength = 2000);
        Join();
        var message = new byte[3000];
        TestMessages.Fill(message, 1);

        _dispatcher.OnDatagram(_frames.Data(Initial, 0, message.AsSpan(0, 1376), AeronProtocol.BeginFlag), Source, _now);
        _dispatcher.OnDatagram(_frames.Data(Initial, 1408, message.AsSpan(1376, 1376), 0), Source, _now);
        _dispatcher.OnDatagram(_frames.Data(Initial, 2816, message.AsSpan(2752), AeronProtocol.EndFlag), Source, _now);
        _dispatcher.OnDatagram(_frames.Messages(Initial, 3104, 2, 1, 24), Source, _now);

        Assert.That(_handler.Sequences(), Is.EqualTo(new long[] { 2 }));
        Assert.That(_counters.Dropped(AeronDropReason.MessageTooLong), Is.EqualTo(1));
    }

    [Test]
    public void Rtt_measurement_requests_are_echoed()
    {
        Join();
        _transport.Clear();
        var request = new byte[40];
        RttMeasurementFlyweight.Encode(request, AeronProtocol.RttmReplyFlag, Session, AeronTestRig.StreamId, 123456789, 0, 0);

        _dispatcher.OnDatagram(request, Source, _now);

        var reply = new RttMeasurementFlyweight(Single(_transport.Frames(), AeronFrameType.RttMeasurement));
        Assert.That(reply.Header.Flags, Is.Zero);
        Assert.That(reply.EchoTimestamp, Is.EqualTo(123456789));
        Assert.That(reply.ReceiverId, Is.EqualTo(ReceiverId));
    }

    [Test]
    public void A_handler_that_throws_does_not_stop_the_stream()
    {
        var errors = new List<Exception>();
        var throwing = new ThrowingHandler();
        var dispatcher = new AeronDataPacketDispatcher<ThrowingHandler>(
            AeronTestRig.ReceiverOptions(), throwing, _transport, _counters, ReceiverId, errors.Add);
        dispatcher.OnDatagram(_frames.Setup(Initial, 0), Source, _now);

        dispatcher.OnDatagram(_frames.Messages(Initial, 0, 0, 3, 24), Source, _now);

        Assert.That(throwing.Calls, Is.EqualTo(3 + 2), "three messages, image available, feed up");
        Assert.That(_counters.HandlerErrors, Is.EqualTo(5));
        Assert.That(_counters.MessagesDelivered, Is.EqualTo(3));
        Assert.That(errors, Has.Count.EqualTo(5));
    }

    [Test]
    public void An_error_callback_that_throws_changes_nothing()
    {
        var throwing = new ThrowingHandler();
        var dispatcher = new AeronDataPacketDispatcher<ThrowingHandler>(
            AeronTestRig.ReceiverOptions(), throwing, _transport, _counters, ReceiverId, _ => throw new InvalidOperationException("logger bug"));
        dispatcher.OnDatagram(_frames.Setup(Initial, 0), Source, _now);

        dispatcher.OnDatagram(_frames.Messages(Initial, 0, 0, 3, 24), Source, _now);
        dispatcher.OnDatagram(_frames.Messages(Initial, 192, 3, 3, 24), Source, _now);

        Assert.That(throwing.Calls, Is.EqualTo(6 + 2), "each message once, image available, feed up");
        Assert.That(_counters.MessagesDelivered, Is.EqualTo(6));
    }

    private void Build(Action<AeronReceiverOptions> configure)
    {
        _handler = new RecordingHandler();
        _transport = new RecordingControlTransport();
        _counters = new AeronReceiverCounters();
        var options = AeronTestRig.ReceiverOptions(o =>
        {
            o.ImageLivenessTimeout = TimeSpan.FromSeconds(1);
            o.PendingImageTimeout = TimeSpan.FromMilliseconds(300);
            configure(o);
        });
        _dispatcher = new AeronDataPacketDispatcher<RecordingHandler>(options, _handler, _transport, _counters, ReceiverId, null);
        _frames = new FrameBuilder(Session, AeronTestRig.StreamId, Initial, 65536);
        _now = 1_000_000 * Ms;
    }

    /// <summary>SETUP, then the heartbeat a real sender sends once our status message connects it.</summary>
    private void Join()
    {
        _dispatcher.OnDatagram(_frames.Setup(Initial, 0), Source, _now);
        _dispatcher.OnDatagram(_frames.Heartbeat(Initial, 0), Source, _now);
        _transport.Clear();
    }

    private (int TermId, int TermOffset, int Length)[] Naks() =>
        _transport.Frames()
            .Where(f => new FrameHeaderFlyweight(f).Type == AeronFrameType.Nak)
            .Select(f =>
            {
                var nak = new NakFlyweight(f);
                return (nak.TermId, nak.TermOffset, nak.Length);
            })
            .ToArray();

    private static byte[] Single(byte[][] frames, AeronFrameType type)
    {
        var matching = frames.Where(f => new FrameHeaderFlyweight(f).Type == type).ToArray();
        Assert.That(matching, Has.Length.EqualTo(1), $"one {type} frame");
        return matching[0];
    }

    private sealed class ThrowingHandler : IAeronMessageHandler
    {
        public int Calls { get; private set; }

        public void OnMessage(ReadOnlySpan<byte> message, in AeronMessageHeader header) => Throw();

        public void OnBatchEnd() => Throw();

        public void OnImageAvailable(AeronImageInfo image) => Throw();

        public void OnImageUnavailable(AeronImageInfo image, AeronImageEndReason reason, long position) => Throw();

        public void OnFeedUp() => Throw();

        public void OnFeedDown() => Throw();

        private void Throw()
        {
            Calls++;
            throw new InvalidOperationException("handler bug");
        }
    }
}
