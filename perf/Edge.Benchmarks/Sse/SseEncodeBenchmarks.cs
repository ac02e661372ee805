using BenchmarkDotNet.Attributes;
using Edge.Protocol;
using Edge.Protocol.Client;
using static Edge.Benchmarks.Protocol.EurUsdSample;

namespace Edge.Benchmarks.Sse;

/// <summary>
/// The SSE hot path: one price encoded as a complete HTTP/1.1 chunk holding its SSE event (the frame stage does this
/// once per update while SSE streams are open), next to the JSON WebSocket frame it is built like. Must be 0 B/op.
/// </summary>
[MemoryDiagnoser]
public class SseEncodeBenchmarks
{
    private readonly PriceFrameEncoder _encoder = new();
    private readonly byte[] _frame = new byte[PriceFrameEncoder.MaxFrameLength];
    private readonly Quote _quote = SampleQuote;
    private readonly Quote _longSequence = new(SampleQuote.BidPrice, SampleQuote.BidSize, SampleQuote.AskPrice, SampleQuote.AskSize, SampleQuote.Timestamp, ulong.MaxValue);

    [Benchmark(Baseline = true)]
    public int JsonFrame() => _encoder.EncodeJsonFrame(_frame, Symbol, BidSource, AskSource, _quote);

    [Benchmark]
    public int SseChunk() => _encoder.EncodeSseChunk(_frame, Symbol, BidSource, AskSource, _quote);

    [Benchmark]
    public int SseChunkTwentyDigitId() => _encoder.EncodeSseChunk(_frame, Symbol, BidSource, AskSource, _longSequence);
}
