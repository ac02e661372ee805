using BenchmarkDotNet.Attributes;
using Edge.Protocol;
using Edge.Protocol.Client;
using Edge.Protocol.SocketIo;

namespace Edge.Benchmarks.Protocol;

/// <summary>
/// The hot path: one price update encoded as a whole WebSocket frame, per encoding. The
/// "WithWriter" rows are the MessagePackWriter / Utf8JsonWriter reference path the hand-written
/// span encoders must beat to be used.
/// </summary>
[MemoryDiagnoser]
public class PriceFrameBenchmarks
{
    private static readonly byte[] Symbol = "EURUSD"u8.ToArray();
    private static readonly byte[] BidSource = "LMAX"u8.ToArray();
    private static readonly byte[] AskSource = "EBS"u8.ToArray();

    private readonly PriceFrameEncoder _encoder = new();
    private readonly byte[] _frame = new byte[PriceFrameEncoder.MaxFrameLength];
    private readonly Quote _quote = new(1.0834, 1_000_000, 1.0836, 2_500_000, 1700000000123456789, 42);

    [Benchmark(Baseline = true)]
    public int MessagePackFrame() => _encoder.EncodeMessagePackFrame(_frame, Symbol, BidSource, AskSource, _quote);

    [Benchmark]
    public int MessagePackFrameWithWriter() => _encoder.EncodeMessagePackFrameWithWriter(_frame, Symbol, BidSource, AskSource, _quote);

    [Benchmark]
    public int JsonFrame() => _encoder.EncodeJsonFrame(_frame, Symbol, BidSource, AskSource, _quote);

    /// <summary>The socket.io <c>price</c> event in the original gateway's shape (the fourth encoding).</summary>
    [Benchmark]
    public int SocketIoFrame() => SocketIoPriceEncoder.EncodeFrame(_frame, Symbol, BidSource, AskSource, _quote);

    [Benchmark]
    public int JsonFrameWithWriter() => _encoder.EncodeJsonFrameWithWriter(_frame, Symbol, BidSource, AskSource, _quote);
}
