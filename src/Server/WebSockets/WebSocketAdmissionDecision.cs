using System.Diagnostics.CodeAnalysis;
using DotNetty.Transport.Channels;
using Edge.Server.Transport;

namespace Edge.Server.WebSockets;

/// <summary>
/// The outcome of <see cref="IWebSocketAdmission.Admit"/>: either a <see cref="Refusal"/>, or an acceptance with the
/// opaque per-connection <see cref="State"/> (for Edge a <see cref="Admission.ClientConnection"/>), what to install behind the
/// codec, and an optional <see cref="Lease"/> disposed when the connection ends.
/// </summary>
public sealed class WebSocketAdmissionDecision
{
    /// <summary>Name of the application handler in the pipeline when installed by <see cref="Accept{THandler}"/>.</summary>
    public const string ApplicationHandlerName = "ws-app";

    private readonly Action<IChannelPipeline>? _install;

    private WebSocketAdmissionDecision(WebSocketRefusal? refusal, Action<IChannelPipeline>? install, object? state, IDisposable? lease)
    {
        Refusal = refusal;
        _install = install;
        State = state;
        Lease = lease;
    }

    /// <summary>Set when the handshake is refused.</summary>
    public WebSocketRefusal? Refusal { get; }

    public bool Accepted => Refusal is null;

    /// <summary>The per-connection state of an accepted connection (also in <see cref="WebSocketUpgraded.State"/>).</summary>
    public object? State { get; }

    /// <summary>Disposed when an accepted connection closes (quota slots and the like).</summary>
    public IDisposable? Lease { get; }

    public static WebSocketAdmissionDecision Refuse(WebSocketRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new WebSocketAdmissionDecision(refusal, null, null, null);
    }

    public static WebSocketAdmissionDecision Refuse(int status, string code, string message, IReadOnlyList<KeyValuePair<string, string>>? headers = null) =>
        Refuse(new WebSocketRefusal(status, code, message, headers));

    /// <summary>
    /// Accepts with one application handler, installed as <see cref="ApplicationHandlerName"/> right after the codec.
    /// The type parameter keeps the handler's public methods in the trimmed binary (DotNetty reflects over them).
    /// </summary>
    public static WebSocketAdmissionDecision Accept<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] THandler>(
        THandler handler, object? state = null, IDisposable? lease = null)
        where THandler : class, IChannelHandler
    {
        ArgumentNullException.ThrowIfNull(handler);
        return new WebSocketAdmissionDecision(null, new HandlerInstaller<THandler>(handler).Install, state, lease);
    }

    /// <summary>
    /// Accepts with handlers of the caller's choosing: <paramref name="install"/> runs on the event loop with the codec
    /// already last in the pipeline and must add them with <see cref="TrimSafePipeline.Append{T}"/>.
    /// </summary>
    public static WebSocketAdmissionDecision Accept(Action<IChannelPipeline> install, object? state = null, IDisposable? lease = null)
    {
        ArgumentNullException.ThrowIfNull(install);
        return new WebSocketAdmissionDecision(null, install, state, lease);
    }

    internal void Install(IChannelPipeline pipeline) => _install?.Invoke(pipeline);

    /// <summary>The same acceptance with <paramref name="lease"/> in place of its own lease.</summary>
    internal WebSocketAdmissionDecision WithLease(IDisposable lease) => new(Refusal, _install, State, lease);

    private sealed class HandlerInstaller<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods)] THandler>
        where THandler : class, IChannelHandler
    {
        private readonly THandler _handler;

        public HandlerInstaller(THandler handler)
        {
            _handler = handler;
        }

        public void Install(IChannelPipeline pipeline) => pipeline.Append(ApplicationHandlerName, _handler);
    }
}
