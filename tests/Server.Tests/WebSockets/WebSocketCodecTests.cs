using System.Text;
using Edge.Protocol.WebSockets;
using Edge.Server.WebSockets;

namespace Edge.Server.Tests.WebSockets;

public sealed class WebSocketCodecTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Test]
    public void A_masked_text_frame_becomes_one_text_message_handed_over_without_a_copy()
    {
        using var harness = new CodecHarness();

        harness.Feed(ClientFrames.Text("Hello"));
        var messages = harness.Messages();

        Assert.That(messages, Has.Count.EqualTo(1));
        var message = messages[0];
        Assert.Multiple(() =>
        {
            Assert.That(message.Opcode, Is.EqualTo(WebSocketOpcode.Text));
            Assert.That(message.IsText, Is.True);
            Assert.That(message.Payload.ToString(Encoding.UTF8), Is.EqualTo("Hello"));
            Assert.That(message.Payload.Unwrap(), Is.Not.Null, "a single-frame message is a slice of the receive buffer");
        });
        Assert.That(message.Release(), Is.True);
        Assert.That(harness.Counters.MessagesIn.Value, Is.EqualTo(1));
        Assert.That(harness.Counters.BytesIn.Value, Is.EqualTo(5));
    }

    [Test]
    public void The_RFC_6455_example_frame_decodes_to_Hello()
    {
        using var harness = new CodecHarness();

        harness.Feed(Convert.FromHexString("818537fa213d7f9f4d5158"));

        var message = harness.TakeMessages().Single();
        Assert.That(Encoding.ASCII.GetString(message.Payload), Is.EqualTo("Hello"));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(125)]
    [TestCase(126)]
    [TestCase(65535)]
    [TestCase(65536)]
    [TestCase(100_000)]
    public void Binary_messages_of_every_length_form_arrive_intact(int length)
    {
        using var harness = new CodecHarness(maxMessageBytes: 128 * 1024);
        var payload = Pattern(length);

        harness.Feed(ClientFrames.Binary(payload));

        var message = harness.TakeMessages().Single();
        Assert.That(message.Opcode, Is.EqualTo(WebSocketOpcode.Binary));
        Assert.That(message.Payload, Is.EqualTo(payload));
    }

    [Test]
    public void Several_frames_in_one_read_become_several_messages_in_order()
    {
        using var harness = new CodecHarness();

        harness.Feed(ClientFrames.Concat(ClientFrames.Text("a"), ClientFrames.Binary([1, 2]), ClientFrames.Text("")));

        var messages = harness.TakeMessages();
        Assert.That(messages.Select(m => m.Opcode), Is.EqualTo(new[] { WebSocketOpcode.Text, WebSocketOpcode.Binary, WebSocketOpcode.Text }));
        Assert.That(messages[1].Payload, Is.EqualTo(new byte[] { 1, 2 }));
        Assert.That(messages[2].Payload, Is.Empty);
    }

    private static IEnumerable<TestCaseData> SplitStreams()
    {
        yield return new TestCaseData(ClientFrames.Text("κόσμε, a text frame")).SetName("Split_small_text_frame");
        yield return new TestCaseData(ClientFrames.Binary(Pattern(300))).SetName("Split_16_bit_length_frame");
        yield return new TestCaseData(ClientFrames.Concat(
            ClientFrames.Text("frag", fin: false),
            ClientFrames.Ping([9, 8, 7]),
            ClientFrames.Continuation(Encoding.UTF8.GetBytes("mented κ"), fin: false),
            ClientFrames.Continuation([], fin: true))).SetName("Split_fragmented_message_with_a_ping_inside");
        yield return new TestCaseData(ClientFrames.Concat(ClientFrames.Text(""), ClientFrames.Binary([42]))).SetName("Split_empty_frame_then_another");
    }

    [TestCaseSource(nameof(SplitStreams))]
    public void A_stream_split_at_every_byte_boundary_decodes_the_same(byte[] stream)
    {
        List<(WebSocketOpcode, byte[])> expected;
        List<DecodedFrame> expectedFrames;
        using (var whole = new CodecHarness())
        {
            whole.Feed(stream);
            expected = whole.TakeMessages();
            expectedFrames = whole.Frames();
        }

        Assert.That(expected, Is.Not.Empty);
        for (var at = 1; at < stream.Length; at++)
        {
            using var harness = new CodecHarness();
            harness.FeedSplit(stream, at);
            var messages = harness.TakeMessages();
            Assert.That(messages, Has.Count.EqualTo(expected.Count), $"split at {at}");
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.That(messages[i].Opcode, Is.EqualTo(expected[i].Item1), $"split at {at}");
                Assert.That(messages[i].Payload, Is.EqualTo(expected[i].Item2), $"split at {at}");
            }

            Assert.That(harness.Frames(), Is.EqualTo(expectedFrames).Using<DecodedFrame>(SameFrame), $"split at {at}");
            Assert.That(harness.Channel.Open, Is.True);
        }
    }

    [Test]
    public void A_stream_fed_one_byte_at_a_time_decodes_the_same()
    {
        using var harness = new CodecHarness();
        var stream = ClientFrames.Concat(ClientFrames.Text("one"), ClientFrames.Binary(Pattern(200), fin: false), ClientFrames.Continuation(Pattern(3), fin: true));

        foreach (var b in stream)
        {
            harness.Feed([b]);
        }

        var messages = harness.TakeMessages();
        Assert.That(messages, Has.Count.EqualTo(2));
        Assert.That(messages[1].Payload, Is.EqualTo(Pattern(200).Concat(Pattern(3)).ToArray()));
    }

    [Test]
    public void Fragments_are_reassembled_into_one_message_with_the_first_frame_opcode()
    {
        using var harness = new CodecHarness();

        harness.Feed(ClientFrames.Binary([1, 2], fin: false), ClientFrames.Continuation([3], fin: false), ClientFrames.Continuation([4, 5], fin: true));

        var message = harness.TakeMessages().Single();
        Assert.That(message.Opcode, Is.EqualTo(WebSocketOpcode.Binary));
        Assert.That(message.Payload, Is.EqualTo(new byte[] { 1, 2, 3, 4, 5 }));
    }

    [Test]
    public void Unmasked_frame_fails_with_1002()
    {
        AssertFailsWith(ClientFrames.Raw(0x81, "hi"u8.ToArray(), masked: false), WebSocketCloseCode.ProtocolError);
    }

    [TestCase(0x40, TestName = "Rsv1_fails_with_1002")]
    [TestCase(0x20, TestName = "Rsv2_fails_with_1002")]
    [TestCase(0x10, TestName = "Rsv3_fails_with_1002")]
    [TestCase(0x70, TestName = "All_rsv_bits_fail_with_1002")]
    public void Reserved_bits_fail_with_1002(int bits)
    {
        AssertFailsWith(ClientFrames.Raw((byte)(0x81 | bits), "x"u8.ToArray()), WebSocketCloseCode.ProtocolError);
    }

    [Test]
    public void Reserved_bits_on_a_control_frame_fail_with_1002()
    {
        AssertFailsWith(ClientFrames.Raw(0x80 | 0x40 | 0x9, []), WebSocketCloseCode.ProtocolError);
    }

    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    [TestCase(6)]
    [TestCase(7)]
    [TestCase(0xB)]
    [TestCase(0xC)]
    [TestCase(0xD)]
    [TestCase(0xE)]
    [TestCase(0xF)]
    public void Reserved_opcodes_fail_with_1002(int opcode)
    {
        AssertFailsWith(ClientFrames.Raw((byte)(0x80 | opcode), "x"u8.ToArray()), WebSocketCloseCode.ProtocolError);
    }

    [Test]
    public void Continuation_without_a_started_message_fails_with_1002()
    {
        AssertFailsWith(ClientFrames.Continuation("x"u8.ToArray(), fin: true), WebSocketCloseCode.ProtocolError);
        AssertFailsWith(ClientFrames.Continuation("x"u8.ToArray(), fin: false), WebSocketCloseCode.ProtocolError);
    }

    [Test]
    public void Continuation_after_a_finished_message_fails_with_1002()
    {
        AssertFailsWith(
            ClientFrames.Concat(ClientFrames.Text("a", fin: false), ClientFrames.Continuation("b"u8.ToArray(), fin: true), ClientFrames.Continuation("c"u8.ToArray(), fin: true)),
            WebSocketCloseCode.ProtocolError,
            deliveredBefore: 1);
    }

    [Test]
    public void A_new_data_frame_inside_a_fragmented_message_fails_with_1002()
    {
        AssertFailsWith(ClientFrames.Concat(ClientFrames.Text("a", fin: false), ClientFrames.Text("b")), WebSocketCloseCode.ProtocolError);
        AssertFailsWith(ClientFrames.Concat(ClientFrames.Binary([1], fin: false), ClientFrames.Binary([2], fin: false)), WebSocketCloseCode.ProtocolError);
    }

    [TestCase(0x9, TestName = "Fragmented_ping_fails_with_1002")]
    [TestCase(0xA, TestName = "Fragmented_pong_fails_with_1002")]
    [TestCase(0x8, TestName = "Fragmented_close_fails_with_1002")]
    public void Fragmented_control_frames_fail_with_1002(int opcode)
    {
        AssertFailsWith(ClientFrames.Raw((byte)opcode, "x"u8.ToArray()), WebSocketCloseCode.ProtocolError);
    }

    [Test]
    public void A_ping_over_125_bytes_fails_with_1002()
    {
        AssertFailsWith(ClientFrames.Frame(WebSocketOpcode.Ping, Pattern(126)), WebSocketCloseCode.ProtocolError);
    }

    [Test]
    public void A_non_minimal_length_fails_with_1002()
    {
        // 16-bit length form carrying 5.
        var frame = Convert.FromHexString("82FE0005" + "00000000" + "0102030405");
        AssertFailsWith(frame, WebSocketCloseCode.ProtocolError);
    }

    [Test]
    public void Invalid_utf8_in_a_text_frame_fails_with_1007()
    {
        AssertFailsWith(ClientFrames.Frame(WebSocketOpcode.Text, [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64]), WebSocketCloseCode.InvalidPayloadData);
    }

    [Test]
    public void Invalid_utf8_is_not_checked_in_binary_frames()
    {
        using var harness = new CodecHarness();

        harness.Feed(ClientFrames.Binary([0xFF, 0xFE]));

        Assert.That(harness.TakeMessages(), Has.Count.EqualTo(1));
    }

    [Test]
    public void A_utf8_sequence_split_across_fragments_is_valid()
    {
        using var harness = new CodecHarness();
        var euro = Encoding.UTF8.GetBytes("€"); // E2 82 AC

        harness.Feed(
            ClientFrames.Frame(WebSocketOpcode.Text, euro[..1], fin: false),
            ClientFrames.Continuation(euro[1..2], fin: false),
            ClientFrames.Continuation(euro[2..], fin: true));

        var message = harness.TakeMessages().Single();
        Assert.That(Encoding.UTF8.GetString(message.Payload), Is.EqualTo("€"));
    }

    [Test]
    public void Invalid_utf8_in_the_first_fragment_fails_with_1007_before_the_message_ends()
    {
        // 0xC0 can never start a valid sequence: fail fast, without waiting for the final fragment.
        AssertFailsWith(ClientFrames.Frame(WebSocketOpcode.Text, [0x61, 0xC0], fin: false), WebSocketCloseCode.InvalidPayloadData);
    }

    [Test]
    public void A_text_message_ending_inside_a_sequence_fails_with_1007()
    {
        AssertFailsWith(
            ClientFrames.Concat(ClientFrames.Frame(WebSocketOpcode.Text, [0xE2, 0x82], fin: false), ClientFrames.Continuation([], fin: true)),
            WebSocketCloseCode.InvalidPayloadData);
    }

    [Test]
    public void A_frame_announcing_more_than_the_limit_fails_with_1009_before_its_payload_arrives()
    {
        using var harness = new CodecHarness(maxMessageBytes: 1000);
        var frame = ClientFrames.Binary(Pattern(1001));

        harness.Feed(frame[..8]);

        AssertClosedWith(harness, WebSocketCloseCode.MessageTooBig);
    }

    [Test]
    public void A_message_exactly_at_the_limit_is_delivered()
    {
        using var harness = new CodecHarness(maxMessageBytes: 1000);

        harness.Feed(ClientFrames.Binary(Pattern(600), fin: false), ClientFrames.Continuation(Pattern(400), fin: true));

        Assert.That(harness.TakeMessages().Single().Payload, Has.Length.EqualTo(1000));
    }

    [Test]
    public void Fragments_adding_up_to_more_than_the_limit_fail_with_1009()
    {
        using var harness = new CodecHarness(maxMessageBytes: 1000);

        harness.Feed(ClientFrames.Binary(Pattern(600), fin: false), ClientFrames.Continuation(Pattern(401), fin: true));

        Assert.That(harness.Messages(), Is.Empty);
        AssertClosedWith(harness, WebSocketCloseCode.MessageTooBig);
    }

    [Test]
    public void A_ping_is_answered_with_a_pong_carrying_the_same_payload()
    {
        using var harness = new CodecHarness();

        harness.Feed(ClientFrames.Ping("are you there"u8.ToArray()), ClientFrames.Ping([]));

        var frames = harness.Frames();
        Assert.That(frames.Select(f => f.Opcode), Is.EqualTo(new[] { WebSocketOpcode.Pong, WebSocketOpcode.Pong }));
        Assert.That(frames[0].Text, Is.EqualTo("are you there"));
        Assert.That(frames[1].Payload, Is.Empty);
        Assert.That(harness.Messages(), Is.Empty);
    }

    [Test]
    public void A_pong_is_ignored()
    {
        using var harness = new CodecHarness();

        harness.Feed(ClientFrames.Pong("unsolicited"u8.ToArray()), ClientFrames.Text("after"));

        Assert.That(harness.Frames(), Is.Empty);
        Assert.That(harness.TakeMessages().Single().Payload, Is.EqualTo("after"u8.ToArray()));
        Assert.That(harness.Channel.Open, Is.True);
    }

    [Test]
    public void A_client_close_is_echoed_with_its_code_and_the_connection_closed()
    {
        using var harness = new CodecHarness();

        harness.Feed(ClientFrames.Concat(ClientFrames.Close(3000, "bye"), ClientFrames.Text("ignored after the close")));

        var frame = harness.Frames().Single();
        Assert.That(frame.CloseCode, Is.EqualTo(3000));
        Assert.That(harness.Channel.Open, Is.False);
        Assert.That(harness.Messages(), Is.Empty);
        Assert.That(harness.Counters.ClientCloses.Value, Is.EqualTo(1));
    }

    [Test]
    public void A_close_without_payload_is_answered_with_1000()
    {
        using var harness = new CodecHarness();

        harness.Feed(ClientFrames.Frame(WebSocketOpcode.Close, []));

        Assert.That(harness.Frames().Single().CloseCode, Is.EqualTo(1000));
        Assert.That(harness.Channel.Open, Is.False);
    }

    [Test]
    public void A_close_with_a_one_byte_payload_fails_with_1002()
    {
        AssertFailsWith(ClientFrames.Frame(WebSocketOpcode.Close, [0x03]), WebSocketCloseCode.ProtocolError);
    }

    [TestCase(0)]
    [TestCase(999)]
    [TestCase(1004)]
    [TestCase(1005)]
    [TestCase(1006)]
    [TestCase(1015)]
    [TestCase(1016)]
    [TestCase(2999)]
    [TestCase(5000)]
    public void A_close_with_an_invalid_code_fails_with_1002(int code)
    {
        AssertFailsWith(ClientFrames.Close((ushort)code), WebSocketCloseCode.ProtocolError);
    }

    [TestCase(1000)]
    [TestCase(1001)]
    [TestCase(1003)]
    [TestCase(1007)]
    [TestCase(1011)]
    [TestCase(3000)]
    [TestCase(4999)]
    public void A_close_with_a_valid_code_is_echoed(int code)
    {
        using var harness = new CodecHarness();

        harness.Feed(ClientFrames.Close((ushort)code, "reason"));

        Assert.That(harness.Frames().Single().CloseCode, Is.EqualTo(code));
    }

    [Test]
    public void A_close_reason_that_is_not_utf8_fails_with_1007()
    {
        AssertFailsWith(ClientFrames.Frame(WebSocketOpcode.Close, [0x03, 0xE8, 0xCE, 0xBA, 0xED, 0xA0, 0x80]), WebSocketCloseCode.InvalidPayloadData);
    }

    [Test]
    public void A_protocol_error_is_counted_by_its_close_code()
    {
        using var harness = new CodecHarness();

        harness.Feed(ClientFrames.Raw(0xC1, []));

        Assert.That(harness.Counters.ProtocolErrors(WebSocketCloseCode.ProtocolError), Is.EqualTo(1));
        Assert.That(harness.Counters.ProtocolErrors(WebSocketCloseCode.InvalidPayloadData), Is.Zero);
    }

    [Test]
    public async Task A_server_close_sends_the_frame_drops_later_data_and_closes_when_the_client_answers()
    {
        using var harness = new CodecHarness();
        harness.Feed(ClientFrames.Text("before"));
        Assert.That(harness.TakeMessages(), Has.Count.EqualTo(1));

        var closed = WebSocketCloser.CloseAsync(harness.Channel, WebSocketCloseCode.GoingAway, "restart; reconnect in 5s");
        var dropped = harness.Channel.WriteAndFlushAsync(PooledMessageFrames.Text(harness.Channel.Allocator, "late"u8));
        harness.Feed(ClientFrames.Text("in flight"));

        var frame = harness.Frames().Single();
        Assert.That(frame.CloseCode, Is.EqualTo(WebSocketCloseCode.GoingAway));
        Assert.That(Encoding.UTF8.GetString(frame.Payload.AsSpan(2)), Is.EqualTo("restart; reconnect in 5s"));
        Assert.That(dropped.IsFaulted, Is.True, "no data frame after the close frame");
        Assert.That(harness.Messages(), Is.Empty, "messages arriving while closing are not delivered");
        Assert.That(harness.Codec.CloseSent, Is.True);
        Assert.That(harness.Channel.Open, Is.True, "waits for the client's close frame");

        harness.Feed(ClientFrames.Close(WebSocketCloseCode.GoingAway));

        Assert.That(harness.Channel.Open, Is.False);
        Assert.That(harness.Frames(), Is.Empty, "the client's answer is not answered again");
        await closed.WaitAsync(Bound);
        Assert.That(harness.Counters.ServerCloses.Value, Is.EqualTo(1));
    }

    [Test]
    public void A_server_close_gives_up_waiting_for_the_client_after_the_close_timeout()
    {
        using var harness = new CodecHarness(closeTimeout: TimeSpan.FromMilliseconds(50));

        _ = WebSocketCloser.CloseAsync(harness.Channel, WebSocketCloseCode.PolicyViolation, "flood");

        Assert.That(harness.Frames().Single().CloseCode, Is.EqualTo(WebSocketCloseCode.PolicyViolation));
        Assert.That(harness.WaitForClose(Bound), Is.True);
        Assert.That(harness.Counters.CloseTimeouts.Value, Is.EqualTo(1));
    }

    [Test]
    public void A_second_server_close_sends_nothing_more()
    {
        using var harness = new CodecHarness();

        _ = WebSocketCloser.CloseAsync(harness.Channel, WebSocketCloseCode.NormalClosure);
        _ = WebSocketCloser.CloseAsync(harness.Channel, WebSocketCloseCode.GoingAway);

        Assert.That(harness.Frames().Single().CloseCode, Is.EqualTo(WebSocketCloseCode.NormalClosure));
    }

    [Test]
    public void A_server_close_with_a_code_that_may_not_be_sent_is_refused()
    {
        using var harness = new CodecHarness();

        Assert.Throws<ArgumentOutOfRangeException>(() => WebSocketCloser.CloseAsync(harness.Channel, WebSocketCloseCode.AbnormalClosure));
    }

    [Test]
    public void Pre_encoded_frames_written_by_the_application_pass_through_unchanged()
    {
        using var harness = new CodecHarness();
        var frame = PooledMessageFrames.Binary(harness.Channel.Allocator, [1, 2, 3]);

        harness.Channel.WriteAndFlushAsync(frame);

        var written = harness.Frames().Single();
        Assert.That(written.Opcode, Is.EqualTo(WebSocketOpcode.Binary));
        Assert.That(written.Payload, Is.EqualTo(new byte[] { 1, 2, 3 }));
    }

    [Test]
    public void Releasing_a_message_frees_its_payload()
    {
        using var harness = new CodecHarness();
        harness.Feed(ClientFrames.Binary([1], fin: false), ClientFrames.Continuation([2], fin: true));
        var message = harness.Messages().Single();
        var payload = message.Payload;

        Assert.That(message.Release(), Is.True);

        Assert.That(payload.ReferenceCount, Is.Zero);
        Assert.That(message.ReferenceCount, Is.Zero);
        Assert.Throws<InvalidOperationException>(() => _ = message.Payload);
    }

    [Test]
    public void A_retained_message_survives_one_release()
    {
        using var harness = new CodecHarness();
        harness.Feed(ClientFrames.Text("keep"));
        var message = harness.Messages().Single();

        message.Retain();

        Assert.That(message.Release(), Is.False);
        Assert.That(message.Payload.ToString(Encoding.UTF8), Is.EqualTo("keep"));
        Assert.That(message.Release(), Is.True);
    }

    internal static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(i * 31 + 7);
        }

        return bytes;
    }

    private static bool SameFrame(DecodedFrame a, DecodedFrame b) => a.Fin == b.Fin && a.Opcode == b.Opcode && a.Payload.SequenceEqual(b.Payload);

    private static void AssertFailsWith(byte[] stream, ushort code, int deliveredBefore = 0)
    {
        using var harness = new CodecHarness();
        harness.Feed(stream);
        Assert.That(harness.TakeMessages(), Has.Count.EqualTo(deliveredBefore));
        AssertClosedWith(harness, code);
        Assert.That(harness.Counters.ProtocolErrors(code), Is.EqualTo(1));
    }

    private static void AssertClosedWith(CodecHarness harness, ushort code)
    {
        var frames = harness.Frames();
        Assert.That(frames, Has.Count.EqualTo(1), "exactly one close frame");
        Assert.That(frames[0].CloseCode, Is.EqualTo(code));
        Assert.That(harness.Channel.Open, Is.False, "the connection is failed: TCP closed after the close frame");
    }
}
