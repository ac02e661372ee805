using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using DotNetty.Buffers;
using DotNetty.Handlers.Tls;
using DotNetty.Transport.Channels.Embedded;
using Edge.Server.Metrics;
using Edge.Server.Transport;
using Edge.Server.WebSockets;
using Edge.Tests.Shared;

namespace Edge.Server.Tests.Transport;

/// <summary>Direct socket writes: only for plaintext TCP, only while DotNetty has nothing queued, never past a closed gate.</summary>
public sealed class DirectSocketWriterTests
{
    [Test]
    public async Task A_plaintext_tcp_channel_gets_a_writer_whose_bytes_reach_the_client()
    {
        await using var pair = await LoopbackChannelPair.ConnectAsync(static _ => { });
        var written = await pair.OnLoopAsync(() => DirectSocketWriter.TryCreate(pair.Server)!.TryWrite("hello"u8));

        Assert.That(written, Is.EqualTo(5));
        Assert.That(Encoding.ASCII.GetString(await pair.ReadAsync(5)), Is.EqualTo("hello"));
    }

    [Test]
    public async Task A_transport_with_direct_writes_sends_frames_by_reference_and_copies_as_one_write_in_cork_order()
    {
        await using var pair = await LoopbackChannelPair.ConnectAsync(static _ => { });
        var server = pair.Server;
        var pinned = GC.AllocateArray<byte>(8, pinned: true);
        "ab;cd;ef"u8.CopyTo(pinned);
        var direct = await pair.OnLoopAsync(() =>
        {
            var transport = new ChannelTransport(server);
            transport.EnableDirectWrites();
            transport.CorkPinned(pinned.AsSpan(0, 3));
            transport.Cork("copy;"u8);
            transport.CorkPinned(pinned.AsSpan(3, 3));
            var bytes = transport.CorkedBytes;
            var wentDirect = transport.FlushCork();
            // Written already: the frame's memory is free to change.
            pinned.AsSpan().Clear();
            return (bytes, wentDirect, transport.IsCorked);
        });

        Assert.That(direct, Is.EqualTo((11, true, false)));
        Assert.That(Encoding.ASCII.GetString(await pair.ReadAsync(11)), Is.EqualTo("ab;copy;cd;"));
    }

    [Test]
    public async Task A_cork_of_more_frames_than_one_sendmsg_takes_goes_out_whole_and_in_order()
    {
        await using var pair = await LoopbackChannelPair.ConnectAsync(static _ => { });
        var server = pair.Server;
        // 150 frames: past the cork's inline frames and over three sendmsg calls of at most 64 vectors; every third a copy.
        const int Frames = 150;
        var pinned = GC.AllocateArray<byte>(Frames * 4, pinned: true);
        var expected = new StringBuilder();
        for (var i = 0; i < Frames; i++)
        {
            Encoding.ASCII.GetBytes($"{i:D3};", pinned.AsSpan(i * 4, 4));
            expected.Append($"{i:D3};");
        }

        var direct = await pair.OnLoopAsync(() =>
        {
            var transport = new ChannelTransport(server);
            transport.EnableDirectWrites();
            for (var i = 0; i < Frames; i++)
            {
                var frame = pinned.AsSpan(i * 4, 4);
                if (i % 3 == 0)
                {
                    transport.Cork(frame);
                }
                else
                {
                    transport.CorkPinned(frame);
                }
            }

            return transport.FlushCork();
        });

        Assert.That(direct, Is.True);
        Assert.That(Encoding.ASCII.GetString(await pair.ReadAsync(Frames * 4)), Is.EqualTo(expected.ToString()));
    }

    [Test]
    public async Task Nothing_is_written_directly_while_dotnetty_holds_queued_bytes_so_the_order_is_kept()
    {
        await using var pair = await LoopbackChannelPair.ConnectAsync(static _ => { });
        var server = pair.Server;
        var (queuedFirst, afterFlush) = await pair.OnLoopAsync(() =>
        {
            var writer = DirectSocketWriter.TryCreate(server)!;
            // Written into DotNetty's outbound buffer but not flushed: still queued.
            _ = server.WriteAsync(Unpooled.CopiedBuffer("first;"u8.ToArray()));
            var whileQueued = writer.TryWrite("second;"u8);
            server.Flush();
            return (whileQueued, writer.TryWrite("third;"u8));
        });

        Assert.That(queuedFirst, Is.Zero, "refused while the pipeline held bytes");
        Assert.That(afterFlush, Is.EqualTo(6), "taken once the pipeline had drained");
        Assert.That(Encoding.ASCII.GetString(await pair.ReadAsync(12)), Is.EqualTo("first;third;"));
    }

    [Test]
    public async Task A_closed_gate_in_the_pipeline_stops_direct_writes()
    {
        await using var pair = await LoopbackChannelPair.ConnectAsync(static pipeline => pipeline.AddLast(new ClosedGateHandler()));
        var server = pair.Server;
        var written = await pair.OnLoopAsync(() => DirectSocketWriter.TryCreate(server)!.TryWrite("data after close"u8));
        await server.WriteAndFlushAsync(Unpooled.CopiedBuffer("marker"u8.ToArray()));

        Assert.That(written, Is.Zero);
        Assert.That(Encoding.ASCII.GetString(await pair.ReadAsync(6)), Is.EqualTo("marker"), "the refused bytes never went out");
    }

    [Test]
    public async Task The_websocket_codec_stops_direct_writes_when_its_close_frame_goes_out()
    {
        var settings = new WebSocketCodecSettings(64 * 1024, TimeSpan.FromSeconds(30), new WebSocketCounters(new MetricsRegistry()));
        await using var pair = await LoopbackChannelPair.ConnectAsync(pipeline => pipeline.AddLast(WebSocketCodec.HandlerName, new WebSocketCodec(settings)));
        var server = pair.Server;
        var (before, after) = await pair.OnLoopAsync(() =>
        {
            var writer = DirectSocketWriter.TryCreate(server)!;
            var written = writer.TryWrite("data"u8);
            server.Pipeline.Get<WebSocketCodec>()!.StartClose(1001, "bye");
            return (written, writer.TryWrite("late data"u8));
        });

        Assert.That(before, Is.EqualTo(4));
        Assert.That(after, Is.Zero, "no data after the close frame");
        var received = await pair.ReadAsync(4 + 2 + 2 + 3);
        Assert.That(Encoding.ASCII.GetString(received, 0, 4), Is.EqualTo("data"));
        Assert.That(received[4], Is.EqualTo(0x88), "then the close frame, and nothing of the late data before it");
    }

    [Test]
    public async Task A_closed_channel_is_not_written_and_nothing_throws()
    {
        await using var pair = await LoopbackChannelPair.ConnectAsync(static _ => { });
        var server = pair.Server;
        var writer = await pair.OnLoopAsync(() => DirectSocketWriter.TryCreate(server)!);
        await server.CloseAsync();

        Assert.That(await pair.OnLoopAsync(() => writer.TryWrite("late"u8)), Is.Zero);
    }

    [Test]
    public async Task A_client_that_resets_the_connection_stops_the_writer_without_an_exception_and_the_channel_closes()
    {
        await using var pair = await LoopbackChannelPair.ConnectAsync(static _ => { });
        var server = pair.Server;
        var writer = await pair.OnLoopAsync(() => DirectSocketWriter.TryCreate(server)!);
        Assert.That(await pair.OnLoopAsync(() => writer.TryWrite("before"u8)), Is.EqualTo(6));

        // An abortive close: the client's kernel answers with RST, so the server's next send fails (ECONNRESET/EPIPE).
        pair.Client.LingerState = new LingerOption(true, 0);
        pair.Client.Close();
        var afterReset = new List<int>();
        await Eventually.WaitUntilAsync(
            async () =>
            {
                afterReset.Add(await pair.OnLoopAsync(() => writer.TryWrite("after the reset"u8)));
                return afterReset[^1] == 0;
            },
            "the direct write refuses once the peer has reset");

        Assert.That(await pair.OnLoopAsync(() => writer.IsStopped), Is.True, "a reset is an error, not a full socket");
        Assert.That(await pair.OnLoopAsync(() => writer.TryWrite("and later"u8)), Is.Zero, "stopped for good, no exception");
        await Eventually.WaitUntilAsync(() => !server.Active, "DotNetty closes the channel on the reset");
    }

    [Test]
    public async Task Tls_channels_and_non_socket_channels_get_no_writer()
    {
        using var certificate = SelfSigned();
        await using var pair = await LoopbackChannelPair.ConnectAsync(pipeline => pipeline.AddLast(new TlsHandler(new ServerTlsSettings(certificate))));
        var server = pair.Server;

        Assert.That(await pair.OnLoopAsync(() => DirectSocketWriter.TryCreate(server)), Is.Null, "TLS bytes must be encrypted by the pipeline");
        var embedded = new EmbeddedChannel();
        try
        {
            Assert.That(DirectSocketWriter.TryCreate(embedded), Is.Null);
        }
        finally
        {
            embedded.FinishAndReleaseAll();
        }
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
        // An exportable copy with its key, as TLS on Linux wants.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
