using BenchmarkDotNet.Attributes;
using Edge.Protocol.WebSockets;

namespace Edge.Benchmarks.Protocol;

/// <summary>Per-frame work of the WebSocket codec: header parse, unmask, UTF-8 validation of a text frame.</summary>
[MemoryDiagnoser]
public class WebSocketBenchmarks
{
    private readonly byte[] _header = [0x81, 0xfe, 0x01, 0x00, 0x37, 0xfa, 0x21, 0x3d];
    private readonly byte[] _payload = new byte[256];
    private Utf8StreamValidator _validator;

    [GlobalSetup]
    public void Setup() => "{\"type\":\"subscribe\",\"id\":1,\"symbols\":[\"EURUSD\",\"GBPUSD\"]}"u8.CopyTo(_payload);

    [Benchmark(Baseline = true)]
    public long ReadHeader()
    {
        WebSocketFrame.TryReadHeader(_header, expectMasked: true, out var header);
        return header.PayloadLength;
    }

    [Benchmark]
    public byte Unmask256()
    {
        WebSocketMask.Apply(_payload, 0x37fa213d);
        return _payload[0];
    }

    [Benchmark]
    public bool ValidateUtf8_256() => _validator.Append(_payload, isFinal: true);
}
