using System.Net;
using System.Net.Sockets;
using Edge.Ingest.Aeron;
using Edge.Ingest.Prices;
using Edge.Ingest.Symbols;
using Edge.Server.Admin;
using Edge.Server.Admission;
using Edge.Server.Auth;
using Edge.Server.Configuration;
using Edge.Server.Demo;
using Edge.Server.FanOut;
using Edge.Server.Metrics;
using Edge.Server.Sessions;
using Edge.Server.SocketIo;
using Edge.Server.Sse;
using Edge.Server.Tenants;
using Edge.Server.Transport;
using Edge.Server.WebSockets;
using Microsoft.Extensions.Logging;

namespace Edge.Server.Hosting;

/// <summary>
/// Edge's composition root: builds every part from <see cref="EdgeOptions"/>, starts them in dependency order
/// (fan-out, ingest, server, demo feed) and stops them in reverse. Program and the end-to-end tests both use it.
/// </summary>
public sealed partial class EdgeHost : IAsyncDisposable
{
    private readonly ILogger _logger;
    private readonly AeronReceiver<AeronPriceHandler> _receiver;
    private readonly SessionServices _sessions;
    private readonly ShutdownDrain _drain;
    private readonly LoopReceiveDuty? _receiveDuty;
    private DemoFeed? _demo;
    private bool _stopped;

    /// <summary>Builds every part; <paramref name="devTokens"/> is what <see cref="DemoAuth.Prepare"/> returned, if anything.</summary>
    public EdgeHost(EdgeOptions options, ILoggerFactory loggerFactory, DevTokenIssuer? devTokens = null)
    {
        Options = options;
        _logger = loggerFactory.CreateLogger<EdgeHost>();
        Metrics = new MetricsRegistry();
        ProcessMetrics.Register(Metrics);
        Errors = new ErrorLog(Metrics, loggerFactory.CreateLogger<ErrorLog>());
        Health = new HealthState();
        DevTokens = devTokens;

        Validator = new JwtValidator(options.Auth, loggerFactory.CreateLogger<JwtValidator>());
        Tenants = new TenantDirectory(options.Tenancy);
        TenantMetrics = new TenantMetrics(Metrics);
        // One set of checks for both transports: a tenant's and an address's connection quotas count WebSocket and SSE together.
        IWebSocketAdmissionCheck[] checks = [new ShutdownDrainCheck(Health), new ConnectionQuotaCheck(Tenants, Metrics)];
        var admission = new EdgeWebSocketAdmission(Validator, options.WebSocket.AllowedOrigins, AcceptMarketData, checks);
        Server = new EdgeServer(options, Health, Metrics, admission, loggerFactory.CreateLogger<EdgeServer>()) { Errors = Errors };
        if (options.Tls.Enabled)
        {
            Server.Tls = new ServerCertificateStore(options.Tls, loggerFactory.CreateLogger<ServerCertificateStore>());
        }

        Symbols = new NameTable(options.Ingest.MaxSymbols);
        Sources = new NameTable(options.Ingest.MaxSources);
        // Listed symbols are interned before the receiver thread starts (clients may subscribe before their first price).
        foreach (var symbol in options.Ingest.Symbols)
        {
            Symbols.GetOrAdd(System.Text.Encoding.UTF8.GetBytes(symbol));
        }

        if (options.Demo.Enabled)
        {
            foreach (var instrument in DemoInstruments.All)
            {
                Symbols.GetOrAdd(System.Text.Encoding.UTF8.GetBytes(instrument.Symbol));
            }
        }

        SseCounters = new SseCounters(Metrics);
        var slowConsumers = new SlowConsumerCloser(
            _logger, TenantMetrics, SseCounters, TimeSpan.FromSeconds(2 * options.WebSocket.CloseTimeoutSeconds));
        FanOut = new FanOutService(options.FanOut, Server.ConnectionLoops, Symbols, Sources, Metrics, slowConsumers, Errors);
        var symbolAdmission = new SymbolAdmission(Symbols, listedOnly: options.Ingest.Symbols.Count > 0, options.Ingest.MaxSubscribableSymbols);
        Metrics.Observe(
            "edge_symbols_pending_added_total",
            "Symbols clients subscribed before their first price (they stay in the symbol table until restart).",
            MetricType.Counter,
            () => symbolAdmission.PendingAdded);
        _sessions = new SessionServices(options.Session, FanOut, Symbols, Tenants, Validator, Metrics, symbolAdmission) { Errors = Errors };
        if (options.Sse.Enabled)
        {
            Server.Sse = new SseEndpoint(
                options.Sse,
                new EdgeWebSocketAdmission(Validator, options.WebSocket.AllowedOrigins, SseEndpoint.AcceptStream, checks),
                _sessions,
                TenantMetrics,
                SseCounters);
        }

        if (options.SocketIo.Enabled)
        {
            Server.SocketIo = new SocketIoEndpoint(options.SocketIo, _sessions, TenantMetrics, options.WebSocket.AllowedOrigins, checks, new SocketIoCounters(Metrics));
        }

        Server.AdminBroadcast = new AdminBroadcastEndpoint(
            Validator, Tenants, TenantMetrics, new NoticeBroadcaster(FanOut.Loops), Metrics, loggerFactory.CreateLogger<AdminBroadcastEndpoint>());
        Server.DemoPage = DemoPage.Create(options, devTokens);
        var metricsEndpoint = new MetricsEndpoint(Metrics, options.Metrics.ResolveBearerToken());
        if (options.Metrics.Port is { } metricsPort)
        {
            // /metrics moves to its own listener; the server port answers it with 404 from now on.
            Server.MetricsEndpoint = null;
            MetricsServer = new MetricsServer(
                new IPEndPoint(IPAddress.Parse(options.Metrics.BindAddress), metricsPort), Health, metricsEndpoint,
                Server.HandshakeTimeout, Server.WebSocketCounters.HandshakeTimeouts);
        }
        else
        {
            Server.MetricsEndpoint = metricsEndpoint;
        }

        _drain = new ShutdownDrain(FanOut.Loops, TimeSpan.FromSeconds(options.DrainTimeoutSeconds), loggerFactory.CreateLogger<ShutdownDrain>());
        var observer = new FeedHealthObserver(Health, loggerFactory.CreateLogger<FeedHealthObserver>());
        _receiver = BindReceiver(options.Ingest, new AeronPriceHandler(FanOut.Ingest, observer), OnReceiverError);
        AeronMetrics.Register(Metrics, _receiver.Counters);
        if (options.Ingest.ReceivesOnLoop(FanOut.Loops.Count, options.FanOut.InlineFrameStage))
        {
            // Run to completion: loop 0 receives, and drains itself after each batch instead of being woken.
            var loop = FanOut.Loops[0];
            _receiveDuty = new LoopReceiveDuty(
                (EdgeEventLoop)loop.Loop, _receiver, loop, _receiver.ReceiveWaitSpins, OnReceiverError);
            FanOut.Stage.DrainedByReceiver = loop;
            FanOut.Ingest.FullRing = _receiveDuty;
        }

        Health.RequireFeed();
    }

    public EdgeOptions Options { get; }

    public MetricsRegistry Metrics { get; }

    /// <summary>Every exception Edge catches and carries on from: each kind logged once, all counted at /metrics.</summary>
    public ErrorLog Errors { get; }

    public HealthState Health { get; }

    public EdgeServer Server { get; }

    /// <summary>The separate /metrics listener when <c>Metrics:Port</c> is set; null otherwise.</summary>
    public MetricsServer? MetricsServer { get; }

    public FanOutService FanOut { get; }

    public NameTable Symbols { get; }

    public NameTable Sources { get; }

    public JwtValidator Validator { get; }

    public TenantDirectory Tenants { get; }

    /// <summary>The SSE transport's series at /metrics (<c>edge_sse_*</c>).</summary>
    public SseCounters SseCounters { get; }

    /// <summary>The per-tenant series at /metrics.</summary>
    public TenantMetrics TenantMetrics { get; }

    /// <summary>Issues development tokens in demo mode when no keys are configured; null otherwise.</summary>
    public DevTokenIssuer? DevTokens { get; }

    /// <summary>True when the first event loop receives the feed (<c>Ingest:ReceiveOn</c>), false with the <c>aeron-receiver</c> thread.</summary>
    public bool ReceivesOnLoop => _receiveDuty is not null;

    /// <summary>The receive duty on the first event loop, when <see cref="ReceivesOnLoop"/>; for tests.</summary>
    internal LoopReceiveDuty? ReceiveDuty => _receiveDuty;

    /// <summary>Where the embedded Aeron receiver listens (with the OS-chosen port when configured as 0).</summary>
    public IPEndPoint IngestEndPoint => _receiver.LocalEndPoint;

    public DemoFeed? Demo => _demo;

    public async Task StartAsync()
    {
        FanOut.Start();
        if (_receiveDuty is not null)
        {
            _receiveDuty.Start();
        }
        else
        {
            _receiver.Start();
        }

        await Server.StartAsync();
        if (MetricsServer is not null)
        {
            await MetricsServer.StartAsync();
            LogMetricsListener(MetricsServer.LocalEndPoint?.ToString() ?? Options.Metrics.BindAddress);
        }

        if (Options.Demo.Enabled)
        {
            _demo = new DemoFeed(Options.Demo, DemoPublisherOptions());
            _demo.Start();
        }

        var ingest = _receiver.Kind == AeronChannelKind.Unicast
            ? _receiver.LocalEndPoint.ToString()
            : $"{Options.Ingest.EffectiveChannel} ({_receiver.Kind.ToString().ToLowerInvariant()}, port {_receiver.LocalEndPoint.Port})";
        LogStarted(Server.LocalEndPoint?.Port ?? 0, ingest, Options.Ingest.StreamId);
    }

    /// <summary>
    /// Where the demo feed publishes: <c>Demo:Channel</c> when set; otherwise to this Edge's own receiver the way it
    /// listens (its unicast endpoint, its multicast group, or as the dynamic MDC publication its control address names).
    /// </summary>
    private AeronPublisherOptions DemoPublisherOptions()
    {
        AeronPublisherOptions publisher;
        if (!string.IsNullOrWhiteSpace(Options.Demo.Channel))
        {
            publisher = AeronPublisherOptions.ForChannel(Options.Demo.Channel);
        }
        else if (_receiver.Kind == AeronChannelKind.Unicast)
        {
            var destination = _receiver.LocalEndPoint.Address.Equals(IPAddress.Any)
                ? new IPEndPoint(IPAddress.Loopback, _receiver.LocalEndPoint.Port)
                : _receiver.LocalEndPoint;
            publisher = new AeronPublisherOptions { Destination = destination };
        }
        else
        {
            var ingest = AeronChannel.Parse(Options.Ingest.EffectiveChannel, AeronChannelUse.Subscription);
            publisher = AeronPublisherOptions.ForChannel(ingest.Kind == AeronChannelKind.Multicast
                ? DemoFeedOptions.MulticastPublication(ingest)
                : $"aeron:udp?control={ingest.Control}|control-mode=dynamic");
        }

        publisher.StreamId = Options.Ingest.StreamId;
        return publisher;
    }

    /// <summary>
    /// Graceful shutdown: readiness off and the listener closed, every client closed with 1001 by its own loop and
    /// waited for up to <see cref="EdgeOptions.DrainTimeoutSeconds"/> (<see cref="ShutdownDrain"/>), then the feed,
    /// the fan-out and the loops stop. Handshakes arriving meanwhile get 503.
    /// </summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        Health.MarkDraining();
        await Server.StopAcceptingAsync();
        await _drain.RunAsync();
        _demo?.Dispose();
        if (_receiveDuty is not null && !await _receiveDuty.StopAsync(TimeSpan.FromSeconds(10)))
        {
            LogReceiveDutyStuck();
        }

        _receiver.Dispose();
        _receiveDuty?.Dispose();
        FanOut.Dispose();
        await Server.StopAsync();
        if (MetricsServer is not null)
        {
            await MetricsServer.StopAsync();
        }

        Validator.Dispose();
        Server.Tls?.Dispose();
    }

    /// <summary>SIGHUP: re-reads what can change without a restart (the TLS certificate); false when a reload failed.</summary>
    public bool Reload() => Server.Tls?.Reload() ?? true;

    public async ValueTask DisposeAsync() => await StopAsync();

    private WebSocketAdmissionDecision AcceptMarketData(ClientConnection connection)
    {
        // The quota check already admitted the tenant, so it is known here.
        var tenant = Tenants.Find(connection.Identity.Tenant)!;
        return WebSocketAdmissionDecision.Accept(new MarketDataSession(_sessions, connection, tenant, TenantMetrics.For(tenant.Name)), connection);
    }

    private void OnReceiverError(Exception exception) => Errors.Record("ingest", exception);

    /// <summary>Binds the ingest UDP socket; a port in use (another Edge, say) is a clear start failure, not a crash.</summary>
    private static AeronReceiver<AeronPriceHandler> BindReceiver(IngestOptions ingest, AeronPriceHandler handler, Action<Exception> onError)
    {
        try
        {
            return new AeronReceiver<AeronPriceHandler>(ingest.ToReceiverOptions(), handler, onError);
        }
        catch (SocketException ex)
        {
            // The unicast shorthand names its endpoint, as --help and docs/operations.md show; a channel is named whole.
            var where = string.IsNullOrWhiteSpace(ingest.Channel) ? ingest.Endpoint : "of " + ingest.EffectiveChannel;
            throw ex.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? new EdgeStartException($"ingest port {where} is in use", ex)
                : new EdgeStartException($"cannot bind the ingest channel {ingest.EffectiveChannel}: {ex.Message}", ex);
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Edge started: HTTP/WebSocket port {Port}, Aeron ingest {IngestEndpoint} stream {StreamId}")]
    private partial void LogStarted(int port, string ingestEndpoint, int streamId);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Metrics listener on {EndPoint}: /metrics, /healthz, /readyz (not on the server port)")]
    private partial void LogMetricsListener(string endPoint);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "The receive duty on event loop 0 did not stop within 10 s; closing the receiver anyway")]
    private partial void LogReceiveDutyStuck();
}
