using System.Buffers;
using BenchmarkDotNet.Attributes;
using Edge.Protocol;
using Edge.Protocol.Client;

namespace Edge.Benchmarks.Protocol;

/// <summary>
/// The non-hot server messages (one per command, per heartbeat, per snapshot), written through
/// <see cref="ServerMessageWriter"/> into a reused buffer, per encoding.
/// </summary>
[MemoryDiagnoser]
public class ServerMessageWriterBenchmarks
{
    private static readonly string[] Symbols = ["EURUSD", "GBPUSD", "USDJPY"];
    private static readonly SymbolError[] Errors = [new("XAUUSD", ErrorCode.UnknownSymbol, "unknown symbol")];
    private static readonly BestPrice[] Prices =
    [
        BestPrice.Create("EURUSD", new PriceLevel(1.0834, 1_000_000, "LMAX"), new PriceLevel(1.0836, 2_500_000, "EBS"), 1700000000123456789, 42),
        BestPrice.Create("GBPUSD", new PriceLevel(1.2634, 1_000_000, "LMAX"), new PriceLevel(1.2636, 2_500_000, "EBS"), 1700000000123456789, 43),
        BestPrice.Create("USDJPY", new PriceLevel(151.34, 1_000_000, "LMAX"), new PriceLevel(151.36, 2_500_000, "EBS"), 1700000000123456789, 44),
    ];

    private readonly ArrayBufferWriter<byte> _output = new(4096);

    [Params(ClientEncoding.MessagePack, ClientEncoding.Json)]
    public ClientEncoding Encoding { get; set; }

    [Benchmark(Baseline = true)]
    public int Heartbeat()
    {
        _output.ResetWrittenCount();
        ServerMessageWriter.WriteHeartbeat(_output, Encoding, 1700000000123456789);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Ack()
    {
        _output.ResetWrittenCount();
        ServerMessageWriter.WriteAck(_output, Encoding, 7, AckKind.Subscribe, Symbols, Errors);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int Snapshot()
    {
        _output.ResetWrittenCount();
        ServerMessageWriter.WriteSnapshot(_output, Encoding, Prices);
        return _output.WrittenCount;
    }
}
