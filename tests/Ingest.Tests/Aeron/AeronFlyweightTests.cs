namespace Edge.Ingest.Tests.Aeron;

/// <summary>The flyweights against frames written out by hand from shared/aeron-protocol.md.</summary>
public sealed class AeronFlyweightTests
{
    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    [Test]
    public void Setup_decodes_the_hand_written_frame()
    {
        // length 40, version 0, flags 0, type 5 | term_offset 1536 | session 0x11223344 | stream 1001
        // | initial 1000 | active 1006 | term 65536 | mtu 1408 | ttl 0
        var frame = Hex(
            "28000000 00 00 0500" + "00060000" + "44332211" + "E9030000" +
            "E8030000" + "EE030000" + "00000100" + "80050000" + "00000000");

        var setup = new SetupFlyweight(frame);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(setup.Header.FrameLength, Is.EqualTo(40));
            Assert.That(setup.Header.Version, Is.EqualTo(0));
            Assert.That(setup.Header.Type, Is.EqualTo(AeronFrameType.Setup));
            Assert.That(setup.TermOffset, Is.EqualTo(1536));
            Assert.That(setup.SessionId, Is.EqualTo(0x11223344));
            Assert.That(setup.StreamId, Is.EqualTo(1001));
            Assert.That(setup.InitialTermId, Is.EqualTo(1000));
            Assert.That(setup.ActiveTermId, Is.EqualTo(1006));
            Assert.That(setup.TermLength, Is.EqualTo(65536));
            Assert.That(setup.Mtu, Is.EqualTo(1408));
            Assert.That(setup.Ttl, Is.EqualTo(0));
        }
    }

    [Test]
    public void Setup_encodes_to_the_hand_written_bytes()
    {
        var expected = Hex(
            "28000000 00 00 0500" + "00060000" + "44332211" + "E9030000" +
            "E8030000" + "EE030000" + "00000100" + "80050000" + "00000000");
        var buffer = new byte[64];

        var length = SetupFlyweight.Encode(buffer, 1536, 0x11223344, 1001, 1000, 1006, 65536, 1408);

        Assert.That(buffer.AsSpan(0, length).ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Data_header_decodes_a_14_byte_message_frame()
    {
        // frame_length 46 (14-byte payload), flags 0xC0, type 1, term_offset 64, session 7, stream 1001,
        // term 1000, reserved 0, then "hello aeron 14"
        var frame = Hex(
            "2E000000 00 C0 0100" + "40000000" + "07000000" + "E9030000" + "E8030000" + "0000000000000000" +
            Convert.ToHexString("hello aeron 14"u8));

        var data = new DataHeaderFlyweight(frame);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(data.Header.FrameLength, Is.EqualTo(46));
            Assert.That(data.Header.Flags, Is.EqualTo(AeronProtocol.UnfragmentedFlags));
            Assert.That(data.Header.Type, Is.EqualTo(AeronFrameType.Data));
            Assert.That(data.TermOffset, Is.EqualTo(64));
            Assert.That(data.SessionId, Is.EqualTo(7));
            Assert.That(data.StreamId, Is.EqualTo(1001));
            Assert.That(data.TermId, Is.EqualTo(1000));
            Assert.That(data.ReservedValue, Is.EqualTo(0));
            Assert.That(data.IsHeartbeat, Is.False);
            Assert.That(data.Payload.ToArray(), Is.EqualTo("hello aeron 14"u8.ToArray()));
            Assert.That(AeronLogBuffer.Align(data.Header.FrameLength, AeronProtocol.FrameAlignment), Is.EqualTo(64));
        }
    }

    [Test]
    public void Heartbeat_is_a_32_byte_data_frame_of_length_zero()
    {
        var eos = Hex("00000000 00 E0 0100" + "00010000" + "07000000" + "E9030000" + "E8030000" + "0000000000000000");

        var heartbeat = new DataHeaderFlyweight(eos);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(heartbeat.IsHeartbeat, Is.True);
            Assert.That(heartbeat.Header.Flags & AeronProtocol.EndOfStreamFlag, Is.Not.Zero);
            Assert.That(heartbeat.TermOffset, Is.EqualTo(256));
        }
    }

    [Test]
    public void Static_readers_read_the_hand_written_data_frame_in_place()
    {
        // What the hot path reads without a flyweight: frame_length 46, flags 0xC0, type 1, term_offset 64,
        // session 7, stream 1001, term 1000, reserved 0x0102030405060708; the frame sits 32 bytes into the span.
        var buffer = Hex(
            new string('0', 64) + "2E000000 00 C0 0100" + "40000000" + "07000000" + "E9030000" + "E8030000" + "0807060504030201");
        var frame = buffer.AsSpan(32);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(FrameHeaderFlyweight.ReadFrameLength(frame), Is.EqualTo(46));
            Assert.That(FrameHeaderFlyweight.ReadVersion(frame), Is.EqualTo(AeronProtocol.CurrentVersion));
            Assert.That(FrameHeaderFlyweight.ReadFlags(frame), Is.EqualTo(AeronProtocol.UnfragmentedFlags));
            Assert.That(FrameHeaderFlyweight.ReadType(frame), Is.EqualTo(AeronFrameType.Data));
            Assert.That(DataHeaderFlyweight.ReadTermOffset(frame), Is.EqualTo(64));
            Assert.That(DataHeaderFlyweight.ReadSessionId(frame), Is.EqualTo(7));
            Assert.That(DataHeaderFlyweight.ReadStreamId(frame), Is.EqualTo(1001));
            Assert.That(DataHeaderFlyweight.ReadTermId(frame), Is.EqualTo(1000));
            Assert.That(DataHeaderFlyweight.ReadReservedValue(frame), Is.EqualTo(0x0102030405060708));
        }
    }

    [Test]
    public void Data_header_encodes_to_the_hand_written_bytes()
    {
        var expected = Hex("40000000 00 00 0000" + "C0FF0000" + "07000000" + "E9030000" + "E8030000" + "0000000000000000");
        var buffer = new byte[32];

        DataHeaderFlyweight.Encode(buffer, 64, 0, AeronFrameType.Pad, 65472, 7, 1001, 1000);

        Assert.That(buffer, Is.EqualTo(expected));
    }

    [Test]
    public void Status_message_encodes_with_the_receiver_id_at_offset_28()
    {
        // length 36, flags 0, type 3 | session 7 | stream 1001 | term 1006 | offset 288 | window 32768
        // | receiver id 0x0102030405060708 (unaligned, offset 28)
        var expected = Hex(
            "24000000 00 00 0300" + "07000000" + "E9030000" + "EE030000" + "20010000" + "00800000" + "0807060504030201");
        var buffer = new byte[36];

        var length = StatusMessageFlyweight.Encode(buffer, 0, 7, 1001, 1006, 288, 32768, 0x0102030405060708);
        var sm = new StatusMessageFlyweight(buffer);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(length, Is.EqualTo(36));
            Assert.That(buffer, Is.EqualTo(expected));
            Assert.That(sm.ReceiverId, Is.EqualTo(0x0102030405060708));
            Assert.That(sm.ConsumptionTermOffset, Is.EqualTo(288));
            Assert.That(sm.HasGroupTag, Is.False);
        }
    }

    [Test]
    public void Send_setup_status_message_decodes()
    {
        var frame = Hex("24000000 00 80 0300" + "07000000" + "E9030000" + "00000000" + "00000000" + "00000000" + "0000000000000000");

        var sm = new StatusMessageFlyweight(frame);

        Assert.That(sm.Header.Flags & AeronProtocol.SendSetupFlag, Is.Not.Zero);
        Assert.That(sm.Header.Type, Is.EqualTo(AeronFrameType.StatusMessage));
    }

    [Test]
    public void Nak_round_trips_through_the_hand_written_bytes()
    {
        var expected = Hex("1C000000 00 00 0200" + "07000000" + "E9030000" + "EE030000" + "00000000" + "40000000");
        var buffer = new byte[28];

        NakFlyweight.Encode(buffer, 7, 1001, 1006, 0, 64);
        var nak = new NakFlyweight(buffer);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(buffer, Is.EqualTo(expected));
            Assert.That(nak.Header.Type, Is.EqualTo(AeronFrameType.Nak));
            Assert.That(nak.TermId, Is.EqualTo(1006));
            Assert.That(nak.Length, Is.EqualTo(64));
        }
    }

    [Test]
    public void Rtt_measurement_decodes()
    {
        var frame = Hex(
            "28000000 00 80 0600" + "07000000" + "E9030000" + "1027000000000000" + "0000000000000000" + "0100000000000000");

        var rttm = new RttMeasurementFlyweight(frame);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(rttm.Header.Type, Is.EqualTo(AeronFrameType.RttMeasurement));
            Assert.That(rttm.Header.Flags, Is.EqualTo(AeronProtocol.RttmReplyFlag));
            Assert.That(rttm.EchoTimestamp, Is.EqualTo(10000));
            Assert.That(rttm.ReceiverId, Is.EqualTo(1));
        }
    }

    [Test]
    public void Error_frame_bounds_its_text_by_the_error_length()
    {
        var frame = Hex(
            "2B000000 00 00 0400" + "07000000" + "E9030000" + "0100000000000000" + "0000000000000000" +
            "05000000" + "02000000" + Convert.ToHexString("no!"u8));

        var error = new ErrorFlyweight(frame);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error.Header.Type, Is.EqualTo(AeronFrameType.Error));
            Assert.That(error.ErrorCode, Is.EqualTo(5));
            Assert.That(error.ErrorText.ToArray(), Is.EqualTo("no"u8.ToArray()));
        }
    }

    [Test]
    public void Position_matches_the_observed_example()
    {
        // [observed] term-id=1006, offset 288, initial 1000, 64 KiB terms gave 393504.
        var bits = AeronLogBuffer.PositionBitsToShift(65536);

        var position = AeronLogBuffer.ComputePosition(1006, 288, bits, 1000);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(position, Is.EqualTo(393504));
            Assert.That(AeronLogBuffer.ComputeTermId(393504, bits, 1000), Is.EqualTo(1006));
            Assert.That(AeronLogBuffer.ComputeTermOffset(393504, bits), Is.EqualTo(288));
            Assert.That(AeronLogBuffer.PartitionIndex(393504, bits), Is.EqualTo(0));
        }
    }

    [Test]
    public void Position_wraps_term_ids_like_int32()
    {
        var bits = AeronLogBuffer.PositionBitsToShift(65536);

        var position = AeronLogBuffer.ComputePosition(int.MinValue + 1, 0, bits, int.MaxValue);

        Assert.That(position, Is.EqualTo(2L * 65536));
        Assert.That(AeronLogBuffer.ComputeTermId(position, bits, int.MaxValue), Is.EqualTo(int.MinValue + 1));
    }

    [TestCase(65536, true)]
    [TestCase(16 * 1024 * 1024, true)]
    [TestCase(1024 * 1024 * 1024, true)]
    [TestCase(32768, false)]
    [TestCase(65537, false)]
    [TestCase(-65536, false)]
    [TestCase(0, false)]
    public void Term_length_validation(int termLength, bool valid) =>
        Assert.That(AeronLogBuffer.IsValidTermLength(termLength), Is.EqualTo(valid));

    [TestCase(1408, true)]
    [TestCase(32, true)]
    [TestCase(65504, true)]
    [TestCase(65536, false)]
    [TestCase(1400, false)]
    [TestCase(0, false)]
    [TestCase(-32, false)]
    public void Mtu_validation(int mtu, bool valid) => Assert.That(AeronLogBuffer.IsValidMtu(mtu), Is.EqualTo(valid));

    [Test]
    public void Max_message_length_is_an_eighth_of_the_term_capped_at_16_MiB()
    {
        Assert.That(AeronLogBuffer.MaxMessageLength(65536), Is.EqualTo(8192));
        Assert.That(AeronLogBuffer.MaxMessageLength(1024 * 1024 * 1024), Is.EqualTo(16 * 1024 * 1024));
    }
}
