using System.Text;
using BenchmarkDotNet.Attributes;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Embedded;
using Edge.Server.Http;
using Edge.Server.WebSockets;

namespace Edge.Benchmarks.WebSockets;

/// <summary>
/// Per-connection cost of the opening handshake without authentication: parsing a browser-sized upgrade request
/// (HttpRequestDecoder), the RFC 6455 checks, subprotocol choice, the Sec-WebSocket-Accept key (SHA-1 + base64)
/// and the 101 response buffer. Per connection, not per message: allocation is expected here.
/// Run: dotnet run -c Release --project perf/Edge.Benchmarks -- --filter '*WebSocketHandshake*' --job short
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class WebSocketHandshakeBenchmarks
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private static readonly string[] Supported = ["edge.v1.msgpack", "edge.v1.json"];

    private readonly HttpLimits _limits = new();
    private byte[] _requestBytes = null!;
    private HttpRequestHead _request = null!;
    private RequestCapture _capture = null!;
    private EmbeddedChannel _channel = null!;

    [GlobalSetup]
    public void Setup()
    {
        const string Text =
            "GET /market-data?token=eyJhbGciOiJIUzI1NiIsImtpZCI6ImVkZ2UtZGV2In0.eyJzdWIiOiJ0cmFkZXItMSJ9.c2lnbmF0dXJl HTTP/1.1\r\n"
            + "Host: edge.example.com\r\nConnection: Upgrade\r\nPragma: no-cache\r\nCache-Control: no-cache\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\r\n"
            + "Upgrade: websocket\r\nOrigin: https://app.example.com\r\nSec-WebSocket-Version: 13\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\nAccept-Language: en-US,en;q=0.9\r\n"
            + "Sec-WebSocket-Key: " + Key + "\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
            + "Sec-WebSocket-Protocol: edge.v1.json\r\n\r\n";
        _requestBytes = Encoding.ASCII.GetBytes(Text);
        _capture = new RequestCapture();
        _channel = new EmbeddedChannel(_capture);
        _request = Parse();
    }

    [GlobalCleanup]
    public void Cleanup() => _channel.FinishAndReleaseAll();

    /// <summary>A fresh HttpRequestDecoder (one per connection) on a ≈ 700-byte browser upgrade request.</summary>
    [Benchmark]
    public HttpRequestHead ParseRequest() => Parse();

    /// <summary>RFC 6455 checks and the subprotocol choice on the parsed request.</summary>
    [Benchmark]
    public string? ValidateAndNegotiate()
    {
        WebSocketHandshake.Validate(_request, out _);
        WebSocketHandshake.NegotiateSubprotocol(WebSocketHandshake.JoinedHeader(_request, "Sec-WebSocket-Protocol"), Supported, out var selected);
        return selected;
    }

    /// <summary>Sec-WebSocket-Accept: SHA-1 over key + GUID, base64.</summary>
    [Benchmark(Baseline = true)]
    public string AcceptKey() => WebSocketHandshake.ComputeAcceptKey(Key);

    /// <summary>The whole accept path without auth: checks, key, and the 101 response in a pooled buffer.</summary>
    [Benchmark]
    public int ValidateAcceptAndRespond()
    {
        WebSocketHandshake.Validate(_request, out var key);
        WebSocketHandshake.NegotiateSubprotocol(WebSocketHandshake.JoinedHeader(_request, "Sec-WebSocket-Protocol"), Supported, out var selected);
        var response = WebSocketHandshake.SwitchingProtocols(PooledByteBufferAllocator.Default, WebSocketHandshake.ComputeAcceptKey(key), selected);
        var length = response.ReadableBytes;
        response.Release();
        return length;
    }

    private HttpRequestHead Parse()
    {
        var pipeline = _channel.Pipeline;
        var decoder = new HttpRequestDecoder(_limits);
        pipeline.AddFirst("http-decoder", decoder);
        var buffer = PooledByteBufferAllocator.Default.Buffer(_requestBytes.Length);
        buffer.WriteBytes(_requestBytes);
        pipeline.FireChannelRead(buffer);
        pipeline.Remove(decoder);
        return _capture.Last!;
    }

    private sealed class RequestCapture : ChannelHandlerAdapter
    {
        public HttpRequestHead? Last { get; private set; }

        public override void ChannelRead(IChannelHandlerContext context, object message) => Last = (HttpRequestHead)message;
    }
}
