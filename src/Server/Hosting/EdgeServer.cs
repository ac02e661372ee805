using System.Net;
using System.Net.Sockets;
using DotNetty.Buffers;
using DotNetty.Common;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Groups;
using DotNetty.Transport.Channels.Sockets;
using Edge.Server.Admin;
using Edge.Server.Admission;
using Edge.Server.Configuration;
using Edge.Server.Http;
using Edge.Server.Metrics;
using Edge.Server.Proxy;
using Edge.Server.SocketIo;
using Edge.Server.Sse;
using Edge.Server.Transport;
using Edge.Server.WebSockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Server.Hosting;

/// <summary>
/// The DotNetty TCP server: one acceptor loop, one event loop per core for connections, and the HTTP
/// pipeline on every connection (<c>proxy-protocol → [tls →] http-decoder → handshake-timeout → http-endpoints</c>; a WebSocket upgrade
/// turns it into <c>ws-codec → ws-app</c>). Start binds the port; StopAcceptingAsync closes the listener; StopAsync also
/// closes every connection still open, then the loops.
/// </summary>
public sealed class EdgeServer : IAsyncDisposable
{
    private readonly EdgeOptions _options;
    private readonly HttpLimits _httpLimits = new();
    private readonly MultithreadEventLoopGroup _acceptorGroup;
    private readonly MultithreadEventLoopGroup _connectionGroup;
    private IChannel? _listener;
    private bool _listenerClosed;
    private readonly DefaultChannelGroup _channels;
    private readonly Counter _connectionsOpened;
    private readonly Gauge _connectionsOpen;
    private WebSocketUpgrader _webSockets;
    private readonly TimeSpan _handshakeTimeout;
    private readonly PooledByteBufferAllocator _allocator;
    private BurstMemoryTrimmer? _memoryTrimmer;
    private readonly TrustedProxyList _trustedProxies;
    private readonly ProxyProtocolCounters _proxyProtocol;
    private readonly ILogger _logger;

    static EdgeServer()
    {
        // The default leak detector samples buffers and formats a stack trace for each: ~9 % CPU at 1 M/s.
        ResourceLeakDetector.Level = ResourceLeakDetector.DetectionLevel.Disabled;
        TrimSafePipeline.RootDotNettyInternals();
    }

    /// <param name="options">Port, loops, WebSocket paths and limits.</param>
    /// <param name="health">Liveness and readiness.</param>
    /// <param name="metrics">Where every counter is registered.</param>
    /// <param name="marketDataAdmission">
    /// Admits market-data WebSocket clients (normally an <see cref="EdgeWebSocketAdmission"/>); null answers that path with 503.
    /// </param>
    /// <param name="logger">Where refused PROXY protocol connections are logged (null: nowhere).</param>
    public EdgeServer(EdgeOptions options, HealthState health, MetricsRegistry metrics, IWebSocketAdmission? marketDataAdmission = null, ILogger? logger = null)
    {
        _options = options;
        Health = health;
        Metrics = metrics;
        _connectionsOpened = metrics.Counter("edge_connections_opened_total", "TCP connections accepted.");
        _connectionsOpen = metrics.Gauge("edge_connections_open", "TCP connections open now.");
        // One event loop per core: the loop that owns a channel also fans prices out to it (README.md, "How a price travels").
        var loops = options.EventLoops > 0 ? options.EventLoops : Environment.ProcessorCount;
        _acceptorGroup = EdgeEventLoop.NewGroup(1);
        _connectionGroup = EdgeEventLoop.NewGroup(loops);
        _allocator = EdgeBufferPool.Create(loops);
        BufferPoolMetrics.Register(metrics, _allocator);
        // Every accepted connection, so stopping closes those the shutdown drain did not (plain HTTP, echo).
        _channels = new DefaultChannelGroup(_acceptorGroup.GetNext());
        var webSocket = options.WebSocket;
        WebSocketCounters = new WebSocketCounters(metrics);
        var settings = new WebSocketCodecSettings(webSocket.MaxMessageBytes, TimeSpan.FromSeconds(webSocket.CloseTimeoutSeconds), WebSocketCounters);
        var endpoints = new List<WebSocketEndpoint>(2) { new("market-data", webSocket.Path, EdgeWebSocketAdmission.Subprotocols, marketDataAdmission) };
        if (!string.IsNullOrEmpty(webSocket.EchoPath))
        {
            endpoints.Add(new WebSocketEndpoint("echo", webSocket.EchoPath, [], new WebSocketEchoAdmission()));
        }

        _webSockets = new WebSocketUpgrader(endpoints, settings);
        TlsHandshakes = options.Tls.Enabled ? new TlsHandshakeCounter(metrics) : null;
        _handshakeTimeout = TimeSpan.FromSeconds(webSocket.HandshakeTimeoutSeconds);
        MetricsEndpoint = new MetricsEndpoint(metrics);
        _trustedProxies = new TrustedProxyList(options.Server.TrustedProxies);
        _proxyProtocol = new ProxyProtocolCounters(metrics);
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>How long a connection may take to send a complete HTTP request head.</summary>
    public TimeSpan HandshakeTimeout => _handshakeTimeout;

    /// <summary>The event loops that own client connections, created with the server so fan-out can attach first.</summary>
    public IEnumerable<IEventLoop> ConnectionLoops => _connectionGroup.Items;

    public HealthState Health { get; }

    public MetricsRegistry Metrics { get; }

    /// <summary>The WebSocket transport's counters (also exported at /metrics).</summary>
    public WebSocketCounters WebSocketCounters { get; }

    /// <summary>Answers <c>/metrics</c> on new connections (open by default); the host sets it before <see cref="StartAsync"/> (null: 404, served elsewhere).</summary>
    public MetricsEndpoint? MetricsEndpoint { get; set; }

    /// <summary>Answers <c>POST /admin/broadcast</c> on new connections; set by the host before <see cref="StartAsync"/> (null: 404).</summary>
    public AdminBroadcastEndpoint? AdminBroadcast { get; set; }

    /// <summary>Answers <c>/</c> and <c>/demo/...</c> on new connections; set by the host before <see cref="StartAsync"/> (null: 404).</summary>
    public Demo.DemoPage? DemoPage { get; set; }

    /// <summary>Answers the SSE stream path on new connections; set by the host before <see cref="StartAsync"/> (null: 404).</summary>
    public SseEndpoint? Sse { get; set; }

    /// <summary>Where the HTTP endpoints record an exception that is not the connection failing; set by the host before <see cref="StartAsync"/>.</summary>
    public ErrorLog? Errors { get; set; }

    /// <summary>
    /// Serves the socket.io endpoint (<see cref="SocketIoEndpoint"/>) on new connections; set by the host before
    /// <see cref="StartAsync"/> (unset: its path is not a WebSocket endpoint).
    /// </summary>
    public SocketIoEndpoint? SocketIo
    {
        get => _socketIo;
        set
        {
            if (_socketIo is not null || value is null)
            {
                throw new InvalidOperationException("the socket.io endpoint is set once");
            }

            _socketIo = value;
            _webSockets = _webSockets.With(new WebSocketEndpoint("socketio", value.Options.Path, [], value));
        }
    }

    private SocketIoEndpoint? _socketIo;

    /// <summary>TLS on every new connection when set (Tls:Enabled); set by the host before <see cref="StartAsync"/>.</summary>
    public ServerCertificateStore? Tls { get; set; }

    /// <summary>TLS handshakes by outcome, when Tls:Enabled.</summary>
    public TlsHandshakeCounter? TlsHandshakes { get; }

    /// <summary>TCP connections open now (the edge_connections_open gauge).</summary>
    public long OpenConnections => _connectionsOpen.Value;

    /// <summary>The bound endpoint (with the OS-chosen port when Port was 0).</summary>
    public IPEndPoint? LocalEndPoint => _listener?.LocalAddress as IPEndPoint;

    public async Task StartAsync()
    {
        var bootstrap = new ServerBootstrap()
            .Group(_acceptorGroup, _connectionGroup)
            .ChannelFactory(static () => new TcpServerSocketChannel())
            .Option(ChannelOption.SoBacklog, 4096)
            // No ChannelOption.SoReuseaddr: DotNetty sets it as .NET's SocketOptionName.ReuseAddress, which .NET on
            // Linux turns into SO_REUSEPORT, so a second Edge on the same port would listen beside this one and the
            // kernel would share the connections between them. .NET's bind already sets SO_REUSEADDR on every TCP
            // socket, which is all a fast restart needs (a port held only by TIME_WAIT connections is free).
            .ChildOption(ChannelOption.TcpNodelay, true)
            .ChildOption(ChannelOption.WriteBufferHighWaterMark, _options.FanOut.WriteBufferHighWaterMark)
            .ChildOption(ChannelOption.WriteBufferLowWaterMark, _options.FanOut.WriteBufferLowWaterMark)
            .ChildOption(ChannelOption.Allocator, _allocator)
            .ChildHandler(new ActionChannelInitializer<IChannel>(InitializeConnection));
        var endPoint = new IPEndPoint(IPAddress.Parse(_options.BindAddress), _options.Port);
        try
        {
            _listener = await bootstrap.BindAsync(endPoint);
        }
        catch (Exception ex) when (EdgeStartException.FindSocketError(ex) is { } socketError)
        {
            throw socketError.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? new EdgeStartException($"port {_options.Port} is in use", ex)
                : new EdgeStartException($"cannot listen on {endPoint}: {socketError.Message}", ex);
        }

        _memoryTrimmer ??= new BurstMemoryTrimmer(Metrics);
        Health.MarkListening();
    }

    /// <summary>Readiness off and the listener closed: no new connections; the open ones carry on (the shutdown drain's first step).</summary>
    public async Task StopAcceptingAsync()
    {
        Health.MarkDraining();
        if (_listener is not null && !_listenerClosed)
        {
            _listenerClosed = true;
            await _listener.CloseAsync();
        }
    }

    public async Task StopAsync()
    {
        _memoryTrimmer?.Dispose();
        await StopAcceptingAsync();
        try
        {
            await _channels.CloseAsync();
        }
        catch (ChannelGroupException)
        {
            // A connection that failed to close cleanly is gone all the same; stopping carries on.
        }

        // Edge drains its clients itself before this point, so the loops need no quiet period of their own.
        var quiet = TimeSpan.Zero;
        var timeout = TimeSpan.FromSeconds(Math.Max(1, _options.DrainTimeoutSeconds));
        var loopsStopped = Task.WhenAll(
            _connectionGroup.ShutdownGracefullyAsync(quiet, timeout),
            _acceptorGroup.ShutdownGracefullyAsync(quiet, timeout));
        // EdgeEventLoop keeps DotNetty 0.7.6 from spinning for ever in its shutdown (a task arriving just as a loop
        // confirms it); the wait stays bounded all the same, so stopping ends whatever a loop does.
        await Task.WhenAny(loopsStopped, Task.Delay(timeout + TimeSpan.FromSeconds(5)));
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void InitializeConnection(IChannel channel)
    {
        _connectionsOpened.Increment();
        _connectionsOpen.Increment();
        _channels.Add(channel);
        channel.CloseCompletion.ContinueWith(static (_, gauge) => ((Gauge)gauge!).Decrement(), _connectionsOpen, TaskScheduler.Default);
        var pipeline = channel.Pipeline;
        // Always first, even with no trusted proxy: it refuses anyone else's PROXY header, and otherwise steps aside
        // after the first byte or two of an ordinary client.
        pipeline.Append(ProxyProtocolDecoder.HandlerName, new ProxyProtocolDecoder(_trustedProxies, _proxyProtocol, _logger));
        if (Tls is { } tls)
        {
            // First after the PROXY header: everything after it sees plain HTTP and WebSocket bytes.
            pipeline.Append("tls", tls.NewHandler());
            if (TlsHandshakes is not null)
            {
                pipeline.Append("tls-handshakes", TlsHandshakes);
            }
        }

        // On the application side of TLS, so every application write (HTTP, WebSocket, SSE) passes it in order and what
        // waits there is plaintext a slow-consumer close can drop.
        pipeline.Append(WriteBacklog.HandlerName, new WriteBacklog());
        pipeline.Append("http-decoder", new HttpRequestDecoder(_httpLimits));
        pipeline.Append(HandshakeTimeoutHandler.HandlerName, new HandshakeTimeoutHandler(_handshakeTimeout, WebSocketCounters.HandshakeTimeouts));
        pipeline.Append("http-endpoints", new HttpEndpointHandler(Health, MetricsEndpoint, _webSockets, AdminBroadcast, DemoPage, Sse, Errors));
    }
}
