using DotNetty.Transport.Channels;
using Edge.Ingest.Prices;
using Edge.Ingest.Ring;
using Edge.Ingest.Symbols;
using Edge.Server.Metrics;

namespace Edge.Server.FanOut;

/// <summary>
/// The price path from ring to sockets: the ring (written by <see cref="Ingest"/>), the frame stage (inline on the
/// receive thread by default, or on its own thread), and one <see cref="LoopFanOut"/> per event loop, each gating the ring. Wire it before the feed starts.
/// </summary>
public sealed class FanOutService : IDisposable
{
    private readonly BatchEventProcessor<PriceSlot, FrameStageHandler>? _stageProcessor;
    private readonly Dictionary<IEventLoop, LoopFanOut> _loopsByEventLoop = [];

    public FanOutService(
        FanOutOptions options,
        IEnumerable<IEventLoop> eventLoops,
        NameTable symbols,
        NameTable sources,
        MetricsRegistry metrics,
        ISlowConsumerCloser closer,
        ErrorLog? errors = null,
        TimeProvider? clock = null)
    {
        Ring = new RingBuffer<PriceSlot>(options.RingCapacity, ProducerType.Single, WaitStrategyFactory.Create(options.RingWaitStrategy));
        Ingest = new PriceIngest(Ring, symbols, sources);
        var frames = new EncodedPriceRing(options.RingCapacity);
        Stage = new FrameStage(frames, symbols, sources);
        if (options.InlineFrameStage)
        {
            Ingest.Published = Stage;
        }
        else
        {
            _stageProcessor = errors is null
                ? Ring.CreateProcessor("edge-frames", new FrameStageHandler(Stage))
                : Ring.CreateProcessor("edge-frames", new FrameStageHandler(Stage), new ErrorLogExceptionHandler(errors, "frame-stage"));
        }

        var latency = metrics.Histogram(
            "edge_ingest_to_fanout_seconds", "Time from decoding a price to corking it on an event loop.", Histogram.LatencySeconds);
        var written = metrics.Histogram(
            "edge_ingest_to_written_seconds",
            "Per drain: time from decoding its oldest price to the end of the drain's socket writes (Edge's whole share of a delivery but the UDP hop).",
            Histogram.LatencySeconds);
        var loops = new List<LoopFanOut>();
        foreach (var eventLoop in eventLoops)
        {
            var loop = new LoopFanOut(eventLoop, Ring, Stage, frames, symbols, sources, options, closer, new FanOutCounters(latency, written), errors, clock);
            loops.Add(loop);
            _loopsByEventLoop.Add(eventLoop, loop);
            Ring.AddGatingSequences(loop.Consumed);
        }

        var loopArray = loops.ToArray();
        Loops = loopArray;
        Stage.AttachLoops(loopArray);
        FanOutMetrics.Register(metrics, this);
    }

    public RingBuffer<PriceSlot> Ring { get; }

    /// <summary>The ring's producer side: hand it every ingest message (one thread).</summary>
    public PriceIngest Ingest { get; }

    public FrameStage Stage { get; }

    public IReadOnlyList<LoopFanOut> Loops { get; }

    /// <summary>The frame stage's ring consumer, or null when the stage runs inline on the receive thread.</summary>
    public BatchEventProcessor<PriceSlot, FrameStageHandler>? StageProcessor => _stageProcessor;

    /// <summary>The fan-out of the loop a channel is registered with.</summary>
    public LoopFanOut For(IEventLoop eventLoop) => _loopsByEventLoop[eventLoop];

    public void Start() => _stageProcessor?.Start();

    public void Dispose()
    {
        if (_stageProcessor is not null)
        {
            _stageProcessor.HaltAndJoin(TimeSpan.FromSeconds(5));
        }
        else
        {
            // Inline: stop encoding on the receive thread, so nothing wakes the loops while they shut down.
            Ingest.Published = null;
        }
    }
}
