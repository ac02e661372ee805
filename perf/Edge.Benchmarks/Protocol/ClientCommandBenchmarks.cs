using System.Text;
using BenchmarkDotNet.Attributes;
using Edge.Protocol.Client;

namespace Edge.Benchmarks.Protocol;

/// <summary>Client command decoding: rare per connection, so it may allocate the command; this shows how much.</summary>
[MemoryDiagnoser]
public class ClientCommandBenchmarks
{
    private static readonly ClientCommandLimits Limits = ClientCommandLimits.Default;

    private readonly byte[] _json = Encoding.UTF8.GetBytes("""{"type":"subscribe","id":1,"symbols":["EURUSD","GBPUSD"],"maxRate":10}""");
    private readonly byte[] _messagePack = Convert.FromHexString(
        "84a474797065a9737562736372696265a2696401a773796d626f6c7392a6455552555344a6474250555344a76d6178526174650a");
    private readonly byte[] _malformedJson = Encoding.UTF8.GetBytes("""{"type":"subscribe","id":1,"symbols":["EURUSD",""");
    private readonly byte[] _malformedMessagePack = Convert.FromHexString("84a474797065a9737562736372696265a2696401a773796d626f6c7392a6455552");

    [Benchmark(Baseline = true)]
    public object? SubscribeMessagePack()
    {
        ClientCommandDecoder.TryDecodeMessagePack(_messagePack, Limits, out var command, out _);
        return command;
    }

    [Benchmark]
    public object? SubscribeJson()
    {
        ClientCommandDecoder.TryDecodeJson(_json, Limits, out var command, out _);
        return command;
    }

    [Benchmark]
    public ErrorCode MalformedMessagePack()
    {
        ClientCommandDecoder.TryDecodeMessagePack(_malformedMessagePack, Limits, out _, out var error);
        return error.Code;
    }

    [Benchmark]
    public ErrorCode MalformedJson()
    {
        ClientCommandDecoder.TryDecodeJson(_malformedJson, Limits, out _, out var error);
        return error.Code;
    }
}
