namespace Edge.Protocol.Tests.WebSockets;

public sealed class WebSocketFrameTests
{
    // Examples from RFC 6455 §5.7, and the 7/16/64-bit length boundaries.
    [TestCase(WebSocketOpcode.Text, 5, true, "81 05")]
    [TestCase(WebSocketOpcode.Text, 3, false, "01 03")]
    [TestCase(WebSocketOpcode.Continuation, 2, true, "80 02")]
    [TestCase(WebSocketOpcode.Ping, 5, true, "89 05")]
    [TestCase(WebSocketOpcode.Binary, 125, true, "82 7d")]
    [TestCase(WebSocketOpcode.Binary, 126, true, "82 7e 00 7e")]
    [TestCase(WebSocketOpcode.Binary, 256, true, "82 7e 01 00")]
    [TestCase(WebSocketOpcode.Binary, 65535, true, "82 7e ff ff")]
    [TestCase(WebSocketOpcode.Binary, 65536, true, "82 7f 00 00 00 00 00 01 00 00")]
    [TestCase(WebSocketOpcode.Close, 2, true, "88 02")]
    public void Writes_server_headers(WebSocketOpcode opcode, long length, bool fin, string expected)
    {
        var buffer = new byte[WebSocketFrame.MaxServerHeaderLength];

        var written = WebSocketFrame.WriteHeader(buffer, opcode, length, fin);

        Assert.That(Hex.Spaced(buffer.AsSpan(0, written)), Is.EqualTo(expected));
        Assert.That(WebSocketFrame.GetHeaderLength(length), Is.EqualTo(written));
    }

    [Test]
    public void Writes_and_reads_the_rfc_masked_hello()
    {
        // RFC 6455 §5.7: a single-frame masked text message containing "Hello".
        var expected = Hex.Bytes("81 85 37 fa 21 3d 7f 9f 4d 51 58");
        var frame = new byte[11];
        var headerLength = WebSocketFrame.WriteMaskedHeader(frame, WebSocketOpcode.Text, 5, 0x37fa213d);
        "Hello"u8.CopyTo(frame.AsSpan(headerLength));
        WebSocketMask.Apply(frame.AsSpan(headerLength), 0x37fa213d);

        Assert.That(frame, Is.EqualTo(expected));

        var status = WebSocketFrame.TryReadHeader(expected, expectMasked: true, out var header);
        Assert.That(status, Is.EqualTo(WebSocketFrameHeaderStatus.Ok));
        Assert.That(header, Is.EqualTo(new WebSocketFrameHeader(true, WebSocketOpcode.Text, true, 0x37fa213d, 5, 6)));
        var payload = expected[6..];
        WebSocketMask.Apply(payload, header.MaskKey);
        Assert.That(payload, Is.EqualTo("Hello"u8.ToArray()));
    }

    [TestCase("82 7e 01 00", 256L, 4)]
    [TestCase("82 7f 00 00 00 00 00 01 00 00", 65536L, 10)]
    [TestCase("82 7f 7f ff ff ff ff ff ff ff", long.MaxValue, 10)]
    [TestCase("02 00", 0L, 2)]
    public void Reads_server_headers(string hex, long length, int headerLength)
    {
        var status = WebSocketFrame.TryReadHeader(Hex.Bytes(hex), expectMasked: false, out var header);

        Assert.That(status, Is.EqualTo(WebSocketFrameHeaderStatus.Ok));
        Assert.That(header.PayloadLength, Is.EqualTo(length));
        Assert.That(header.HeaderLength, Is.EqualTo(headerLength));
        Assert.That(header.Opcode, Is.EqualTo(WebSocketOpcode.Binary));
    }

    [TestCase("", WebSocketFrameHeaderStatus.Incomplete)]
    [TestCase("81", WebSocketFrameHeaderStatus.Incomplete)]
    [TestCase("81 fe 00", WebSocketFrameHeaderStatus.Incomplete)]
    [TestCase("81 fe 00 7e 37 fa 21", WebSocketFrameHeaderStatus.Incomplete)]
    [TestCase("81 ff 00 00 00 00 00 01 00 00 37 fa 21", WebSocketFrameHeaderStatus.Incomplete)]
    [TestCase("c1 85 37 fa 21 3d", WebSocketFrameHeaderStatus.ReservedBitsSet)] // RSV1
    [TestCase("a1 85 37 fa 21 3d", WebSocketFrameHeaderStatus.ReservedBitsSet)] // RSV2
    [TestCase("91 85 37 fa 21 3d", WebSocketFrameHeaderStatus.ReservedBitsSet)] // RSV3
    [TestCase("83 85 37 fa 21 3d", WebSocketFrameHeaderStatus.ReservedOpcode)]
    [TestCase("87 85 37 fa 21 3d", WebSocketFrameHeaderStatus.ReservedOpcode)]
    [TestCase("8b 85 37 fa 21 3d", WebSocketFrameHeaderStatus.ReservedOpcode)]
    [TestCase("8f 85 37 fa 21 3d", WebSocketFrameHeaderStatus.ReservedOpcode)]
    [TestCase("09 85 37 fa 21 3d", WebSocketFrameHeaderStatus.FragmentedControlFrame)]
    [TestCase("08 82 37 fa 21 3d", WebSocketFrameHeaderStatus.FragmentedControlFrame)]
    [TestCase("89 fe 00 7e 37 fa 21 3d", WebSocketFrameHeaderStatus.ControlFrameTooLong)]
    [TestCase("81 fe 00 7d 37 fa 21 3d", WebSocketFrameHeaderStatus.NonMinimalLength)]
    [TestCase("81 ff 00 00 00 00 00 00 ff ff 37 fa 21 3d", WebSocketFrameHeaderStatus.NonMinimalLength)]
    [TestCase("81 ff 80 00 00 00 00 00 00 00 37 fa 21 3d", WebSocketFrameHeaderStatus.LengthTooLarge)]
    [TestCase("81 05 48 65 6c 6c 6f", WebSocketFrameHeaderStatus.MaskRequired)]
    public void Refuses_bad_client_headers(string hex, WebSocketFrameHeaderStatus expected)
    {
        Assert.That(WebSocketFrame.TryReadHeader(Hex.Bytes(hex), expectMasked: true, out _), Is.EqualTo(expected));
    }

    [Test]
    public void A_client_refuses_a_masked_server_frame()
    {
        var status = WebSocketFrame.TryReadHeader(Hex.Bytes("81 85 37 fa 21 3d"), expectMasked: false, out _);

        Assert.That(status, Is.EqualTo(WebSocketFrameHeaderStatus.UnexpectedMask));
    }

    [Test]
    public void Written_headers_read_back_for_every_length_form()
    {
        var buffer = new byte[WebSocketFrame.MaxHeaderLength];
        foreach (var length in new long[] { 0, 1, 125, 126, 127, 65535, 65536, 1L << 32, long.MaxValue })
        {
            foreach (var masked in new[] { false, true })
            {
                var written = masked
                    ? WebSocketFrame.WriteMaskedHeader(buffer, WebSocketOpcode.Binary, length, 0x01020304, fin: false)
                    : WebSocketFrame.WriteHeader(buffer, WebSocketOpcode.Binary, length, fin: false);

                var status = WebSocketFrame.TryReadHeader(buffer.AsSpan(0, written), masked, out var header);

                Assert.That(status, Is.EqualTo(WebSocketFrameHeaderStatus.Ok));
                Assert.That(header, Is.EqualTo(new WebSocketFrameHeader(false, WebSocketOpcode.Binary, masked, masked ? 0x01020304u : 0u, length, written)));
                Assert.That(WebSocketFrame.TryReadHeader(buffer.AsSpan(0, written - 1), masked, out _), Is.EqualTo(WebSocketFrameHeaderStatus.Incomplete));
            }
        }
    }

    [Test]
    public void Parsing_random_bytes_never_throws()
    {
        var random = new Random(5);
        var buffer = new byte[16];
        var ok = 0;
        for (var i = 0; i < 50_000; i++)
        {
            random.NextBytes(buffer);
            var length = random.Next(0, buffer.Length + 1);
            if (WebSocketFrame.TryReadHeader(buffer.AsSpan(0, length), (i & 1) == 0, out var header) == WebSocketFrameHeaderStatus.Ok)
            {
                ok++;
                Assert.That(header.HeaderLength, Is.LessThanOrEqualTo(length));
                Assert.That(header.PayloadLength, Is.GreaterThanOrEqualTo(0));
            }
        }

        Assert.That(ok, Is.GreaterThan(0));
    }
}
