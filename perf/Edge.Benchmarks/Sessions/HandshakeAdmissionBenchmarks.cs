using System.Net;
using System.Text;
using BenchmarkDotNet.Attributes;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Embedded;
using Edge.Benchmarks.FanOut;
using Edge.Ingest.Symbols;
using Edge.Server.Admission;
using Edge.Server.Auth;
using Edge.Server.Configuration;
using Edge.Server.FanOut;
using Edge.Server.Hosting;
using Edge.Server.Http;
using Edge.Server.Metrics;
using Edge.Server.Sessions;
using Edge.Server.Tenants;
using Edge.Server.WebSockets;

namespace Edge.Benchmarks.Sessions;

/// <summary>
/// Per-connection cost of admitting a market-data client with an HS256 token, as <c>EdgeHost</c> wires it:
/// <see cref="EdgeWebSocketAdmission"/> (token extraction, <see cref="JwtValidator"/>, the shutdown-drain check, the
/// tenant and per-IP connection quota with its lease, then building the <see cref="MarketDataSession"/>). The lease is
/// given back each op, as a connection's close does. <c>Handshake_ParseToResponse</c> is the whole path a browser's
/// upgrade request takes before the pipeline is rebuilt: a fresh HttpRequestDecoder parsing ≈ 900 bytes, the RFC 6455
/// checks and subprotocol choice, the admission, Sec-WebSocket-Accept and the 101 response buffer.
/// The handshake without authentication is measured in perf/Edge.Benchmarks/WebSockets (WebSocketHandshakeBenchmarks);
/// the bare token check in Auth (JwtValidationBenchmarks). Per connection, not per message: allocation is expected.
/// Run: dotnet run -c Release --project perf/Edge.Benchmarks -- --filter '*HandshakeAdmission*' --job short
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class HandshakeAdmissionBenchmarks
{
    private static readonly string[] Subprotocols = EdgeWebSocketAdmission.Subprotocols;
    private static readonly IPEndPoint Remote = new(IPAddress.Parse("203.0.113.7"), 50_123);

    private readonly HttpLimits _limits = new();
    private JwtValidator _validator = null!;
    private EdgeWebSocketAdmission _admission = null!;
    private EmbeddedChannel _loopOwner = null!;
    private EmbeddedChannel _parser = null!;
    private RequestCapture _capture = null!;
    private string _token = null!;
    private byte[] _headerRequestBytes = null!;
    private WebSocketAdmissionRequest _headerRequest = null!;
    private WebSocketAdmissionRequest _queryRequest = null!;
    private WebSocketAdmissionRequest _forgedRequest = null!;

    [GlobalSetup]
    public void Setup()
    {
        DotNetty.Common.ResourceLeakDetector.Level = DotNetty.Common.ResourceLeakDetector.DetectionLevel.Disabled;
        var options = new EdgeOptions();
        options.Auth.Issuer = "https://issuer.bench";
        options.Auth.Audience = "edge";
        var issuer = new DevTokenIssuer(options.Auth);
        options.Auth.Keys.Add(issuer.SigningKey);
        _validator = new JwtValidator(options.Auth);
        _token = issuer.Issue("trader-17", "acme", TimeSpan.FromHours(1));
        // Same kid, another secret: refused at the signature.
        var forged = new DevTokenIssuer(options.Auth).Issue("trader-17", "acme", TimeSpan.FromHours(1));

        var metrics = new MetricsRegistry();
        var health = new HealthState();
        health.MarkListening();
        var tenants = new TenantDirectory(options.Tenancy);
        var tenantMetrics = new TenantMetrics(metrics);
        _loopOwner = new EmbeddedChannel();
        var symbols = new NameTable(16);
        var fanOut = new FanOutService(options.FanOut, [_loopOwner.EventLoop], symbols, new NameTable(16), metrics, new NoSlowConsumers());
        var services = new SessionServices(options.Session, fanOut, symbols, tenants, _validator, metrics);
        _admission = new EdgeWebSocketAdmission(
            _validator,
            [],
            connection =>
            {
                var tenant = tenants.Find(connection.Identity.Tenant)!;
                return WebSocketAdmissionDecision.Accept(new MarketDataSession(services, connection, tenant, tenantMetrics.For(tenant.Name)), connection);
            },
            [new ShutdownDrainCheck(health), new ConnectionQuotaCheck(tenants, metrics)]);

        _capture = new RequestCapture();
        _parser = new EmbeddedChannel(_capture);
        _headerRequestBytes = Encoding.ASCII.GetBytes(BrowserRequest("/market-data", "Authorization: Bearer " + _token + "\r\n"));
        _headerRequest = Request(Parse(_headerRequestBytes));
        _queryRequest = Request(Parse(Encoding.ASCII.GetBytes(BrowserRequest("/market-data?token=" + _token, string.Empty))));
        _forgedRequest = Request(Parse(Encoding.ASCII.GetBytes(BrowserRequest("/market-data", "Authorization: Bearer " + forged + "\r\n"))));
        if (!Admit(_headerRequest) || !Admit(_queryRequest) || Admit(_forgedRequest))
        {
            throw new InvalidOperationException("the benchmark requests are not admitted/refused as intended");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _parser.FinishAndReleaseAll();
        _loopOwner.FinishAndReleaseAll();
        _validator.Dispose();
    }

    /// <summary>The floor: the HS256 token check alone (JwtValidator.Validate).</summary>
    [Benchmark(Baseline = true)]
    public bool ValidateHs256Only() => _validator.Validate(_token).Succeeded;

    /// <summary>Admission with the token in <c>Authorization: Bearer</c> (non-browser clients).</summary>
    [Benchmark]
    public bool Admit_HeaderToken() => Admit(_headerRequest);

    /// <summary>Admission with the token in the <c>token</c> query parameter (browsers).</summary>
    [Benchmark]
    public bool Admit_QueryToken() => Admit(_queryRequest);

    /// <summary>A token with a bad signature: refused with 401 after the HMAC check.</summary>
    [Benchmark]
    public bool Admit_RefusedBadSignature() => Admit(_forgedRequest);

    /// <summary>Parse, RFC 6455 checks, subprotocol, admission (HS256 in the header), accept key, 101 response buffer.</summary>
    [Benchmark]
    public int Handshake_ParseToResponse()
    {
        var request = Parse(_headerRequestBytes);
        if (WebSocketHandshake.Validate(request, out var key) is not null
            || WebSocketHandshake.NegotiateSubprotocol(WebSocketHandshake.JoinedHeader(request, "Sec-WebSocket-Protocol"), Subprotocols, out var subprotocol) is not null)
        {
            throw new InvalidOperationException("the benchmark request is not a valid handshake");
        }

        var decision = _admission.Admit(new WebSocketAdmissionRequest(request, Remote, "market-data", subprotocol));
        var response = WebSocketHandshake.SwitchingProtocols(PooledByteBufferAllocator.Default, WebSocketHandshake.ComputeAcceptKey(key), subprotocol);
        var length = response.ReadableBytes;
        response.Release();
        decision.Lease?.Dispose();
        return decision.Accepted ? length : -1;
    }

    private bool Admit(WebSocketAdmissionRequest request)
    {
        var decision = _admission.Admit(request);
        // The connection's close gives the quota slots back.
        decision.Lease?.Dispose();
        return decision.Accepted;
    }

    private static WebSocketAdmissionRequest Request(HttpRequestHead request)
    {
        WebSocketHandshake.NegotiateSubprotocol(WebSocketHandshake.JoinedHeader(request, "Sec-WebSocket-Protocol"), Subprotocols, out var subprotocol);
        return new WebSocketAdmissionRequest(request, Remote, "market-data", subprotocol);
    }

    private static string BrowserRequest(string target, string extraHeaders) =>
        $"GET {target} HTTP/1.1\r\n"
        + "Host: edge.example.com\r\nConnection: Upgrade\r\nPragma: no-cache\r\nCache-Control: no-cache\r\n"
        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36\r\n"
        + "Upgrade: websocket\r\nOrigin: https://app.example.com\r\nSec-WebSocket-Version: 13\r\n"
        + "Accept-Encoding: gzip, deflate, br\r\nAccept-Language: en-US,en;q=0.9\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
        + "Sec-WebSocket-Protocol: edge.v1.json\r\n" + extraHeaders + "\r\n";

    /// <summary>A fresh decoder per request, as each connection has its own.</summary>
    private HttpRequestHead Parse(byte[] bytes)
    {
        var pipeline = _parser.Pipeline;
        var decoder = new HttpRequestDecoder(_limits);
        pipeline.AddFirst("http-decoder", decoder);
        var buffer = PooledByteBufferAllocator.Default.Buffer(bytes.Length);
        buffer.WriteBytes(bytes);
        pipeline.FireChannelRead(buffer);
        pipeline.Remove(decoder);
        return _capture.Last ?? throw new InvalidOperationException("the request was not parsed");
    }

    private sealed class RequestCapture : ChannelHandlerAdapter
    {
        public HttpRequestHead? Last { get; private set; }

        public override void ChannelRead(IChannelHandlerContext context, object message) => Last = (HttpRequestHead)message;
    }
}
