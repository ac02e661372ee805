using BenchmarkDotNet.Attributes;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Embedded;
using Edge.Protocol.WebSockets;
using Edge.Server.Metrics;
using Edge.Server.WebSockets;

namespace Edge.Benchmarks.WebSockets;

/// <summary>
/// One masked client message through <see cref="WebSocketCodec"/> in a DotNetty pipeline (EmbeddedChannel):
/// ChannelRead + ChannelReadComplete, header parse, unmask in place, UTF-8 check for text, the pooled
/// <see cref="WebSocketMessage"/> (a zero-copy slice, or a reassembly buffer) handed to a handler that releases it.
/// Per op: one message. The frame bytes are copied into the read buffer first (frames are unmasked in place).
/// <para>
/// Most benchmarks reuse one retained read buffer, so they measure the codec, plus the pipeline traversal that the
/// baseline <c>ReadOnly_NoCodec</c> measures alone (the EmbeddedChannel's read path allocates 32 B by itself).
/// <c>SocketRead*</c> take a fresh pooled read buffer per op as the transport does; DotNetty 0.7.6's pooled allocator
/// allocates 96 B per buffer on any thread (event loops included), which <c>FreshReadOnly_NoCodec</c> shows alone.
/// The codec's own cost is the difference to the matching baseline.
/// </para>
/// Run: dotnet run -c Release --project perf/Edge.Benchmarks -- --filter '*WebSocketDecode*' --job short
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class WebSocketDecodeBenchmarks
{
    private EmbeddedChannel _channel = null!;
    private IChannelPipeline _pipeline = null!;
    private EmbeddedChannel _transportOnly = null!;
    private IByteBuffer _readBuffer = null!;
    private byte[] _subscribeText = null!;
    private byte[] _binary1K = null!;
    private byte[] _fragmented = null!;
    private int _headerSplit;

    [GlobalSetup]
    public void Setup()
    {
        // As EdgeServer does: the default detector samples buffers and captures stack traces.
        DotNetty.Common.ResourceLeakDetector.Level = DotNetty.Common.ResourceLeakDetector.DetectionLevel.Disabled;
        var counters = new WebSocketCounters(new MetricsRegistry());
        var codec = new WebSocketCodec(new WebSocketCodecSettings(64 * 1024, TimeSpan.FromSeconds(5), counters));
        _channel = new EmbeddedChannel(codec, new ReleasingSink());
        _pipeline = _channel.Pipeline;
        _transportOnly = new EmbeddedChannel(new ReleasingSink());
        _readBuffer = PooledByteBufferAllocator.Default.Buffer(4096);
        _subscribeText = Masked(WebSocketOpcode.Text, "{\"type\":\"subscribe\",\"id\":1,\"symbols\":[\"EURUSD\",\"GBPUSD\",\"USDJPY\"]}"u8.ToArray(), fin: true);
        var payload = new byte[1024];
        new Random(7).NextBytes(payload);
        _binary1K = Masked(WebSocketOpcode.Binary, payload, fin: true);
        _fragmented = [.. Masked(WebSocketOpcode.Binary, payload[..512], fin: false), .. Masked(WebSocketOpcode.Continuation, payload[512..], fin: true)];
        _headerSplit = 3;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _readBuffer.Release();
        _channel.FinishAndReleaseAll();
        _transportOnly.FinishAndReleaseAll();
    }

    /// <summary>The pipeline alone: the same read through a channel without the codec.</summary>
    [Benchmark(Baseline = true)]
    public void ReadOnly_NoCodec() => Reuse(_transportOnly.Pipeline, _subscribeText);

    /// <summary>A 68-byte JSON subscribe in one text frame: zero-copy slice, UTF-8 validated.</summary>
    [Benchmark]
    public void TextMessage68B() => Reuse(_pipeline, _subscribeText);

    /// <summary>A 1 KiB MessagePack-sized binary message in one frame.</summary>
    [Benchmark]
    public void BinaryMessage1K() => Reuse(_pipeline, _binary1K);

    /// <summary>The same 1 KiB as two fragments: reassembled into one pooled buffer.</summary>
    [Benchmark]
    public void FragmentedMessage2x512() => Reuse(_pipeline, _fragmented);

    /// <summary>The transport alone: a fresh pooled read buffer per op, filled and released (no codec).</summary>
    [Benchmark]
    public void FreshReadOnly_NoCodec() => Fresh(_transportOnly.Pipeline, _subscribeText, 0, _subscribeText.Length);

    /// <summary>The 68-byte message in a fresh pooled read buffer, as from the socket.</summary>
    [Benchmark]
    public void SocketReadTextMessage68B() => Fresh(_pipeline, _subscribeText, 0, _subscribeText.Length);

    /// <summary>The 68-byte message arriving in two fresh reads, cut inside its header (cumulation path).</summary>
    [Benchmark]
    public void SocketReadTextMessageInTwoReads()
    {
        Fresh(_pipeline, _subscribeText, 0, _headerSplit);
        Fresh(_pipeline, _subscribeText, _headerSplit, _subscribeText.Length - _headerSplit);
    }

    private void Reuse(IChannelPipeline pipeline, byte[] frame)
    {
        // One more reference, so the decoder's (or the sink's) release leaves the buffer to the next op.
        _readBuffer.SetIndex(0, 0).WriteBytes(frame);
        _readBuffer.Retain();
        pipeline.FireChannelRead(_readBuffer);
        pipeline.FireChannelReadComplete();
    }

    private static void Fresh(IChannelPipeline pipeline, byte[] bytes, int offset, int length)
    {
        var buffer = PooledByteBufferAllocator.Default.Buffer(length);
        buffer.WriteBytes(bytes, offset, length);
        pipeline.FireChannelRead(buffer);
        pipeline.FireChannelReadComplete();
    }

    private static byte[] Masked(WebSocketOpcode opcode, byte[] payload, bool fin)
    {
        var header = new byte[WebSocketFrame.MaxHeaderLength];
        var headerLength = WebSocketFrame.WriteMaskedHeader(header, opcode, payload.Length, 0x37fa213d, fin);
        byte[] frame = [.. header.AsSpan(0, headerLength), .. payload];
        WebSocketMask.Apply(frame.AsSpan(headerLength), 0x37fa213d);
        return frame;
    }

    /// <summary>The application: takes each message and releases it.</summary>
    private sealed class ReleasingSink : ChannelHandlerAdapter
    {
        public override void ChannelRead(IChannelHandlerContext context, object message)
        {
            // Messages behind the codec, raw buffers in the transport-only pipeline.
            DotNetty.Common.Utilities.ReferenceCountUtil.Release(message);
        }
    }
}
