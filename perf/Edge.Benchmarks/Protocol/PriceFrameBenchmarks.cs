using BenchmarkDotNet.Attributes;
using Edge.Protocol;
using Edge.Protocol.Client;
using Edge.Protocol.SocketIo;
using static Edge.Benchmarks.Protocol.EurUsdSample;

namespace Edge.Benchmarks.Protocol;

/// <summary>
/// The hot path: one price update encoded as a whole WebSocket frame, per encoding. The
/// "WithWriter" rows are the MessagePackWriter / Utf8JsonWriter reference path the hand-written
/// span encoders must beat to be used.
/// </summary>
[MemoryDiagnoser]
public class PriceFrameBenchmarks
{
    private readonly PriceFrameEncoder _encoder = new();
    private readonly byte[] _frame = new byte[PriceFrameEncoder.MaxFrameLength];
    private readonly Quote _quote = SampleQuote;

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
