using DotNetty.Transport.Channels;
using Edge.Server.Http;
using Edge.Server.Proxy;
using Edge.Server.Transport;

namespace Edge.Server.WebSockets;

/// <summary>
/// Turns an HTTP connection into a WebSocket one. <see cref="HttpEndpointHandler"/> offers it every request first;
/// it takes the requests for its endpoints' paths and any request that asks for a WebSocket upgrade.
/// <para>
/// For a handshake it checks RFC 6455 (<see cref="WebSocketHandshake.Validate"/>), picks the subprotocol, asks the
/// endpoint's <see cref="IWebSocketAdmission"/>, and either answers with the refusal's status and JSON (closing the
/// connection after an upgrade attempt) or writes the 101 and rebuilds the pipeline:
/// <c>http-decoder → handshake-timeout → http-endpoints</c> becomes <c>ws-codec → ws-app</c>. Bytes the client
/// sent right behind its request (an eager first frame) are kept: <see cref="HttpRequestDecoder"/> stops decoding
/// after an upgrade request, and when it is removed DotNetty's <c>ByteToMessageDecoder.HandlerRemoved</c> passes its
/// unread cumulation to the next handler, which by then is the codec.
/// </para>
/// Shared by all connections of a server; thread-safe.
/// </summary>
public sealed class WebSocketUpgrader
{
    private static readonly WebSocketRefusal NotConfigured =
        new(503, "UNAVAILABLE", "this endpoint is not available on this server");

    private static readonly WebSocketRefusal AdmissionFailed =
        new(500, "INTERNAL_ERROR", "the server could not decide on this connection");

    private static readonly Action<Task, object?> DisposeLease = static (_, lease) => ((IDisposable)lease!).Dispose();

    private readonly WebSocketEndpoint[] _endpoints;
    private readonly WebSocketCodecSettings _settings;

    public WebSocketUpgrader(IReadOnlyList<WebSocketEndpoint> endpoints, WebSocketCodecSettings settings)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(settings);
        _endpoints = [.. endpoints];
        _settings = settings;
    }

    public WebSocketCodecSettings Settings => _settings;

    /// <summary>An upgrader with the same settings and one more endpoint.</summary>
    public WebSocketUpgrader With(WebSocketEndpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new WebSocketUpgrader([.. _endpoints, endpoint], _settings);
    }

    /// <summary>
    /// Handles <paramref name="request"/> when it is for a WebSocket endpoint or asks for an upgrade; returns false
    /// (nothing done) for the plain HTTP requests the caller routes itself.
    /// </summary>
    public bool TryHandle(IChannelHandlerContext context, HttpRequestHead request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var endpoint = Find(request.Path);
        var upgrade = WebSocketHandshake.IsUpgradeRequest(request);
        if (endpoint is null)
        {
            if (!upgrade)
            {
                return false;
            }

            Refuse(context, WebSocketHandshake.NoSuchEndpoint, keepAlive: false);
            return true;
        }

        // A protocol over WebSocket may answer some requests its own way first (Engine.IO refuses long-polling).
        if (endpoint.Admission is IWebSocketRequestFilter filter && filter.Filter(request) is { } early)
        {
            Refuse(context, early, keepAlive: !upgrade && request.KeepAlive);
            return true;
        }

        string? subprotocol = null;
        var refusal = WebSocketHandshake.Validate(request, out var key)
            ?? WebSocketHandshake.NegotiateSubprotocol(WebSocketHandshake.JoinedHeader(request, "Sec-WebSocket-Protocol"), endpoint.Subprotocols, out subprotocol);
        if (refusal is not null)
        {
            // After an upgrade attempt the decoder has stopped reading requests, so the connection cannot go on.
            Refuse(context, refusal, keepAlive: !upgrade && request.KeepAlive);
            return true;
        }

        var decision = Admit(context, endpoint, request, subprotocol);
        if (!decision.Accepted)
        {
            Refuse(context, decision.Refusal!, keepAlive: false);
            return true;
        }

        Upgrade(context, endpoint, decision, key, subprotocol);
        return true;
    }

    private WebSocketEndpoint? Find(string path)
    {
        foreach (var endpoint in _endpoints)
        {
            if (string.Equals(endpoint.Path, path, StringComparison.Ordinal))
            {
                return endpoint;
            }
        }

        return null;
    }

    private static WebSocketAdmissionDecision Admit(IChannelHandlerContext context, WebSocketEndpoint endpoint, HttpRequestHead request, string? subprotocol)
    {
        if (endpoint.Admission is null)
        {
            return WebSocketAdmissionDecision.Refuse(NotConfigured);
        }

        try
        {
            return endpoint.Admission.Admit(new WebSocketAdmissionRequest(request, ClientAddress.Of(context.Channel), endpoint.Name, subprotocol));
        }
        catch (Exception)
        {
            // The policy's bug must not leave the client hanging or reach the event loop.
            return WebSocketAdmissionDecision.Refuse(AdmissionFailed);
        }
    }

    private void Refuse(IChannelHandlerContext context, WebSocketRefusal refusal, bool keepAlive)
    {
        _settings.Counters.Refused(refusal.Status, refusal.Code);
        _ = HttpResponseWriter.WriteAsync(context, refusal.Status, "application/json", refusal.Body(), keepAlive, refusal.Headers);
    }

    private void Upgrade(IChannelHandlerContext context, WebSocketEndpoint endpoint, WebSocketAdmissionDecision decision, string key, string? subprotocol)
    {
        var channel = context.Channel;
        var pipeline = channel.Pipeline;
        if (decision.Lease is { } lease)
        {
            channel.CloseCompletion.ContinueWith(DisposeLease, lease, TaskScheduler.Default);
        }

        // The 101 is queued before anything the codec or the application may write (a pong to an eager ping).
        _ = context.WriteAndFlushAsync(WebSocketHandshake.SwitchingProtocols(context.Allocator, WebSocketHandshake.ComputeAcceptKey(key), subprotocol));
        _settings.Counters.Accepted(endpoint.Name);
        var upgraded = new WebSocketUpgraded(endpoint.Name, subprotocol, decision.State);
        upgraded.AttachTo(channel);

        if (pipeline.Get(HandshakeTimeoutHandler.HandlerName) is not null)
        {
            pipeline.Remove(HandshakeTimeoutHandler.HandlerName);
        }

        var codec = new WebSocketCodec(_settings);
        pipeline.Append(WebSocketCodec.HandlerName, codec);
        decision.Install(pipeline);

        // This handler goes first, so the decoder's successor is the codec when the decoder hands over its bytes.
        pipeline.Remove(context.Handler);
        pipeline.Context(codec).FireUserEventTriggered(upgraded);
        if (pipeline.Get<HttpRequestDecoder>() is { } decoder)
        {
            pipeline.Remove(decoder);
        }
    }
}
