using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using DotNetty.Buffers;
using DotNetty.Transport.Channels.Embedded;
using Edge.Ingest.Symbols;
using Edge.Protocol;
using Edge.Protocol.Client;
using Edge.Protocol.Ingest;
using Edge.Server.FanOut;
using Edge.Server.Metrics;
using Edge.Server.Transport;
using Edge.Server.WebSockets;

namespace Edge.Benchmarks.FanOut;

/// <summary>
/// One price update fanned out to N subscribers through the real price path: <see cref="FanOutService"/> with its
/// ring, <c>PriceIngest</c> (decode, intern, publish), the frame stage (encode once) and a <see cref="LoopFanOut"/>
/// whose drain corks and writes one frame per subscriber. Subscribers are DotNetty <see cref="EmbeddedChannel"/>s
/// with the WebSocket codec in the pipeline (the outbound gate every real write passes), so no kernel is involved.
/// <para>
/// Everything runs on the benchmark thread, one update per op: the frame stage's handler is called inline as its
/// processor thread would call it, and the loop's drain runs from the embedded event loop's queue
/// (<c>RunPendingTasks</c>). Divide by N (by 16 × N for <c>Batch16_ToN</c>) for the per-delivery figures. <c>Update_NoSubscribers</c> is the per-update
/// floor (ingest + encode + an empty drain); <c>PipelineOnly_N</c> is what DotNetty alone costs for N pooled-buffer
/// writes (allocate, copy the frame, WriteAndFlushAsync through the same pipeline), so the rest is Edge's.
/// </para>
/// Run: dotnet run -c Release --project perf/Edge.Benchmarks -- --filter '*FanOutEmbedded*' --job short
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class FanOutEmbeddedBenchmarks
{
    private const string Symbol = "EUR/USD";
    private const int BatchSize = 16;

    private readonly byte[] _message = new byte[IngestSchema.MaxMessageLength];
    private FanOutService _fanOut = null!;
    private EmbeddedChannel _loopOwner = null!;
    private EmbeddedChannel[] _subscribers = [];
    private FanOutService _empty = null!;
    private EmbeddedChannel _emptyLoopOwner = null!;
    private byte[] _frame = [];
    private IByteBuffer _shared = null!;
    private int _messageLength;
    private ulong _upstreamSequence = 1;

    [Params(100, 1000)]
    public int Subscribers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // As EdgeServer does: the default leak detector samples buffers and captures stack traces.
        DotNetty.Common.ResourceLeakDetector.Level = DotNetty.Common.ResourceLeakDetector.DetectionLevel.Disabled;
        var quote = new Quote(1.0834, 1_000_000, 1.0836, 2_500_000, 1_700_000_000_000_000_000, 1);
        _messageLength = IngestPriceEncoder.Encode(_message, Symbol, "LMAX", "EBS", quote);

        (_fanOut, _loopOwner) = Build();
        var loop = _fanOut.Loops[0];
        var symbolId = _fanOut.Ingest.Symbols.Find(Symbol);
        var codecSettings = new WebSocketCodecSettings(64 * 1024, TimeSpan.FromSeconds(5), new WebSocketCounters(new MetricsRegistry()));
        _subscribers = new EmbeddedChannel[Subscribers];
        for (var i = 0; i < Subscribers; i++)
        {
            var channel = new EmbeddedChannel(new WebSocketCodec(codecSettings));
            channel.Configuration.Allocator = PooledByteBufferAllocator.Default;
            _subscribers[i] = channel;
            var session = new FanOutSession(new ChannelTransport(channel), ClientEncoding.MessagePack, "bench");
            loop.Register(session);
            loop.Subscribe(session, symbolId, 0);
        }

        (_empty, _emptyLoopOwner) = Build();

        // The frame each subscriber gets, for the pipeline-only baseline; and a check that every subscriber got it.
        Update(_fanOut, _loopOwner);
        _frame = ReadOneFrame();
        for (var i = 1; i < _subscribers.Length; i++)
        {
            var written = _subscribers[i].ReadOutbound<IByteBuffer>() ?? throw new InvalidOperationException($"subscriber {i} got nothing");
            written.Release();
        }

        DrainSubscribers();
        _shared = Unpooled.WrappedBuffer(_frame);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var channel in _subscribers)
        {
            channel.FinishAndReleaseAll();
        }

        _loopOwner.FinishAndReleaseAll();
        _emptyLoopOwner.FinishAndReleaseAll();
        _shared.Release();
    }

    /// <summary>Per update, no subscriber: decode, intern, ring publish, encode once, an empty drain.</summary>
    [Benchmark]
    public long Update_NoSubscribers() => Update(_empty, _emptyLoopOwner);

    /// <summary>Per update, N subscribers: the above plus N corked frames, N writes and flushes through the pipeline.</summary>
    [Benchmark]
    public long Update_ToN()
    {
        var sequence = Update(_fanOut, _loopOwner);
        DrainSubscribers();
        return sequence;
    }

    /// <summary>
    /// 16 updates in one drain (a busy feed): each subscriber's 16 frames are corked into one buffer, one write and
    /// one flush, so DotNetty's per-write cost is shared by 16 deliveries. Per op: 16 updates, 16 × N deliveries.
    /// </summary>
    [Benchmark]
    public long Batch16_ToN()
    {
        var sequence = Update(_fanOut, _loopOwner, BatchSize);
        DrainSubscribers();
        return sequence;
    }

    /// <summary>DotNetty alone, N times: a pooled buffer, the frame copied in, WriteAndFlushAsync through the same pipeline.</summary>
    [Benchmark]
    public int PipelineOnly_N()
    {
        var frame = _frame;
        for (var i = 0; i < _subscribers.Length; i++)
        {
            var channel = _subscribers[i];
            var buffer = channel.Allocator.Buffer(frame.Length);
            buffer.WriteBytes(frame);
            channel.WriteAndFlushAsync(buffer);
        }

        DrainSubscribers();
        return frame.Length;
    }

    /// <summary>Where PipelineOnly's bytes go, part 1: N pooled buffers taken, filled and released (no write).</summary>
    [Benchmark]
    public int PooledBuffersOnly_N()
    {
        var frame = _frame;
        var allocator = _subscribers[0].Allocator;
        for (var i = 0; i < _subscribers.Length; i++)
        {
            var buffer = allocator.Buffer(frame.Length);
            buffer.WriteBytes(frame);
            buffer.Release();
        }

        return frame.Length;
    }

    /// <summary>Where PipelineOnly's bytes go, part 2: N WriteAndFlushAsync of one reused buffer (no buffer taken).</summary>
    [Benchmark]
    public int WritesOnly_N()
    {
        var shared = _shared;
        for (var i = 0; i < _subscribers.Length; i++)
        {
            _subscribers[i].WriteAndFlushAsync(shared.Retain());
        }

        DrainSubscribers();
        return shared.ReferenceCount;
    }

    private (FanOutService FanOut, EmbeddedChannel LoopOwner) Build()
    {
        // An embedded event loop runs its queue only when asked: the drain happens on this thread, at a known point.
        var loopOwner = new EmbeddedChannel();
        var symbols = new NameTable(16);
        var sources = new NameTable(16);
        symbols.GetOrAdd(System.Text.Encoding.UTF8.GetBytes(Symbol));
        var fanOut = new FanOutService(new FanOutOptions(), [loopOwner.EventLoop], symbols, sources, new MetricsRegistry(), new NoSlowConsumers());
        return (fanOut, loopOwner);
    }

    private long Update(FanOutService fanOut, EmbeddedChannel loopOwner, int updates = 1)
    {
        // What the receive thread does with the stage inline (the default): publish and encode each, then publish the
        // stage's position and wake the loops once at the receive batch's end.
        for (var i = 0; i < updates; i++)
        {
            // Each update a new sequence, as upstream sends them: Edge drops a price whose sequence does not grow.
            BinaryPrimitives.WriteUInt64LittleEndian(_message.AsSpan(IngestSchema.HeaderLength + IngestSchema.SequenceOffset), ++_upstreamSequence);
            fanOut.Ingest.OnMessage(_message.AsSpan(0, _messageLength));
        }

        fanOut.Ingest.OnBatchEnd();
        loopOwner.RunPendingTasks();
        return fanOut.Ring.Cursor;
    }

    private void DrainSubscribers()
    {
        for (var i = 0; i < _subscribers.Length; i++)
        {
            var channel = _subscribers[i];
            while (channel.ReadOutbound<IByteBuffer>() is { } written)
            {
                written.Release();
            }
        }
    }

    private byte[] ReadOneFrame()
    {
        var written = _subscribers[0].ReadOutbound<IByteBuffer>();
        var bytes = new byte[written.ReadableBytes];
        written.GetBytes(written.ReaderIndex, bytes);
        written.Release();
        return bytes;
    }
}
