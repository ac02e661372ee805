using System.Net;
using System.Net.Sockets;
using DotNetty.Buffers;
using DotNetty.Transport.Bootstrapping;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Groups;
using DotNetty.Transport.Channels.Sockets;
using Edge.Server.Hosting;
using Edge.Server.Http;
using Edge.Server.Transport;
using Edge.Server.WebSockets;

namespace Edge.Server.Metrics;

/// <summary>
/// The separate operator listener (<c>Metrics:Port</c>, <c>Metrics:BindAddress</c>): <c>/metrics</c>, <c>/healthz</c>
/// and <c>/readyz</c> and nothing else, on one event loop of its own, so scrapes never share a loop with clients and the
/// server port need not expose the metrics. Plain HTTP (no TLS): bind it to a private address.
/// </summary>
public sealed class MetricsServer : IAsyncDisposable
{
    private readonly IPEndPoint _endPoint;
    private readonly HealthState _health;
    private readonly MetricsEndpoint _metrics;
    private readonly TimeSpan _requestTimeout;
    private readonly Counter _timeouts;
    private readonly HttpLimits _httpLimits = new();
    private readonly MultithreadEventLoopGroup _group;
    private readonly DefaultChannelGroup _channels;
    private IChannel? _listener;
    private bool _stopped;

    /// <param name="endPoint">Where to listen (port 0: OS-chosen).</param>
    /// <param name="health">Answered at /healthz and /readyz.</param>
    /// <param name="metrics">Answers /metrics.</param>
    /// <param name="requestTimeout">How long a connection may take to send a request head (slowloris).</param>
    /// <param name="timeouts">Counts connections closed for that.</param>
    public MetricsServer(IPEndPoint endPoint, HealthState health, MetricsEndpoint metrics, TimeSpan requestTimeout, Counter timeouts)
    {
        _endPoint = endPoint;
        _health = health;
        _metrics = metrics;
        _requestTimeout = requestTimeout;
        _timeouts = timeouts;
        _group = EdgeEventLoop.NewGroup(1);
        _channels = new DefaultChannelGroup(_group.GetNext());
    }

    /// <summary>The bound endpoint (with the OS-chosen port when the port was 0), IPv4 addresses as IPv4.</summary>
    public IPEndPoint? LocalEndPoint => _listener?.LocalAddress is IPEndPoint bound && bound.Address.IsIPv4MappedToIPv6
        ? new IPEndPoint(bound.Address.MapToIPv4(), bound.Port)
        : _listener?.LocalAddress as IPEndPoint;

    public async Task StartAsync()
    {
        var bootstrap = new ServerBootstrap()
            .Group(_group, _group)
            .ChannelFactory(static () => new TcpServerSocketChannel())
            .ChildOption(ChannelOption.TcpNodelay, true)
            .ChildOption(ChannelOption.Allocator, UnpooledByteBufferAllocator.Default)
            .ChildHandler(new ActionChannelInitializer<IChannel>(InitializeConnection));
        try
        {
            _listener = await bootstrap.BindAsync(_endPoint);
        }
        catch (Exception ex) when (EdgeStartException.FindSocketError(ex) is { } socketError)
        {
            throw socketError.SocketErrorCode == SocketError.AddressAlreadyInUse
                ? new EdgeStartException($"metrics port {_endPoint.Port} is in use", ex)
                : new EdgeStartException($"cannot listen for metrics on {_endPoint}: {socketError.Message}", ex);
        }
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (_listener is not null)
        {
            await _listener.CloseAsync();
        }

        try
        {
            await _channels.CloseAsync();
        }
        catch (ChannelGroupException)
        {
            // A scrape connection that failed to close cleanly is gone all the same.
        }

        var stopped = _group.ShutdownGracefullyAsync(TimeSpan.Zero, TimeSpan.FromSeconds(1));
        await Task.WhenAny(stopped, Task.Delay(TimeSpan.FromSeconds(5)));
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private void InitializeConnection(IChannel channel)
    {
        _channels.Add(channel);
        var pipeline = channel.Pipeline;
        pipeline.Append("http-decoder", new HttpRequestDecoder(_httpLimits));
        pipeline.Append(HandshakeTimeoutHandler.HandlerName, new HandshakeTimeoutHandler(_requestTimeout, _timeouts));
        pipeline.Append("http-endpoints", new HttpEndpointHandler(_health, _metrics));
    }
}
