using DotNetty.Transport.Channels.Embedded;
using Edge.Ingest.Symbols;
using Edge.Protocol;
using Edge.Protocol.Client;
using Edge.Protocol.Ingest;
using Edge.Server.FanOut;
using Edge.Server.Metrics;

namespace Edge.Server.Tests.FanOut;

/// <summary>
/// The real fan-out (ring, inline frame stage, one <see cref="LoopFanOut"/>) on an embedded event loop: its drains run
/// on the test thread at known points, when the test runs the loop's queue. Prices are published as the receive
/// thread publishes them.
/// </summary>
internal sealed class EmbeddedFanOut : IDisposable
{
    private readonly byte[] _message = new byte[IngestSchema.MaxMessageLength];

    public EmbeddedFanOut(ISlowConsumerCloser closer, FanOutOptions? options = null, ErrorLog? errors = null, TimeProvider? clock = null)
    {
        Symbols = new NameTable(16);
        Service = new FanOutService(options ?? new FanOutOptions(), [LoopOwner.EventLoop], Symbols, new NameTable(16), Metrics, closer, errors, clock);
    }

    /// <summary>The channel whose embedded event loop the fan-out runs on.</summary>
    public EmbeddedChannel LoopOwner { get; } = new();

    public MetricsRegistry Metrics { get; } = new();

    public NameTable Symbols { get; }

    public FanOutService Service { get; }

    public LoopFanOut Loop => Service.Loops[0];

    public int SymbolId(string symbol) => Symbols.GetOrAdd(System.Text.Encoding.UTF8.GetBytes(symbol));

    /// <summary>The bid of the price <see cref="Ingest"/> sends with <paramref name="sequenceNumber"/> (not exact in binary).</summary>
    public static double BidOf(ulong sequenceNumber) => 1.08 + sequenceNumber * 0.0001;

    /// <summary>
    /// A client on a fake connection, registered with the loop and subscribed to <paramref name="symbols"/> (each
    /// subscription's latest price, for its snapshot, in <paramref name="snapshot"/> when there is one).
    /// </summary>
    public (FanOutSession Session, FakeClientTransport Transport) Connect(
        ClientEncoding encoding, long minIntervalTicks, string[] symbols, List<BestPrice>? snapshot = null)
    {
        var transport = new FakeClientTransport();
        var session = new FanOutSession(transport, encoding, "t");
        Loop.Register(session);
        foreach (var symbol in symbols)
        {
            if (Loop.Subscribe(session, SymbolId(symbol), minIntervalTicks) is { } latest && snapshot is not null)
            {
                FakeClientTransport.Decode(encoding, latest.Frame(encoding), snapshot);
            }
        }

        return (session, transport);
    }

    /// <summary>Puts one price in the ring and encodes it (the stage is inline); the loops see it at the batch's end.</summary>
    public void Ingest(string symbol, ulong sequenceNumber)
    {
        var quote = new Quote(BidOf(sequenceNumber), 1_000_000, 1.09, 2_000_000, 1_700_000_000_000_000_000, sequenceNumber);
        var length = IngestPriceEncoder.Encode(_message, symbol, "LP1", "LP2", quote);
        Service.Ingest.OnMessage(_message.AsSpan(0, length));
    }

    /// <summary>One price as a receive batch of its own, drained by the loop before this returns.</summary>
    public void Publish(string symbol, ulong sequenceNumber)
    {
        Ingest(symbol, sequenceNumber);
        Service.Ingest.OnBatchEnd();
        LoopOwner.RunPendingTasks();
    }

    public void Dispose()
    {
        Service.Dispose();
        LoopOwner.FinishAndReleaseAll();
    }
}
