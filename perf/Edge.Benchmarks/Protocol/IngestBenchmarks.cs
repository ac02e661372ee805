using BenchmarkDotNet.Attributes;
using Edge.Protocol.Ingest;
using static Edge.Benchmarks.Protocol.EurUsdSample;

namespace Edge.Benchmarks.Protocol;

/// <summary>Ingest message decode (every UDP payload) and encode (publishers).</summary>
[MemoryDiagnoser]
public class IngestBenchmarks
{
    private readonly byte[] _message = new byte[IngestSchema.MaxMessageLength];
    private readonly byte[] _scratch = new byte[IngestSchema.MaxMessageLength];
    private int _length;

    [GlobalSetup]
    public void Setup() => _length = IngestPriceEncoder.Encode(_message, "EURUSD"u8, "LMAX"u8, "EBS"u8, SampleQuote);

    [Benchmark(Baseline = true)]
    public long Decode()
    {
        var result = IngestPriceDecoder.Decode(_message.AsSpan(0, _length), out var view);
        return result == IngestDecodeResult.Ok ? view.Quote.Timestamp + view.Symbol.Length : -1;
    }

    [Benchmark]
    public int Encode() => IngestPriceEncoder.Encode(_scratch, "EURUSD"u8, "LMAX"u8, "EBS"u8, SampleQuote);
}
