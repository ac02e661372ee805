using DotNetty.Common.Concurrency;
using DotNetty.Transport.Channels;
using Edge.Server.Http;
using Edge.Server.Metrics;

namespace Edge.Server.WebSockets;

/// <summary>
/// Closes a connection that does not deliver a complete HTTP request head in time (slowloris: a client that opens
/// connections and trickles header bytes forever). The clock starts when the connection opens and restarts at each
/// request, so a kept-alive plain-HTTP connection is also closed after that long idle. The WebSocket upgrade removes
/// this handler; nothing then times the connection out here (heartbeats are the session's job).
/// <para>
/// It sits right behind the HTTP decoder, where it sees whole requests: bytes alone cannot tell a slow client from
/// a complete request.
/// </para>
/// </summary>
public sealed class HandshakeTimeoutHandler : ChannelHandlerAdapter
{
    /// <summary>Its name in the pipeline.</summary>
    public const string HandlerName = "handshake-timeout";

    private static readonly Action<object, object> CloseOnTimeout = static (state, handler) =>
    {
        var context = (IChannelHandlerContext)state;
        var self = (HandshakeTimeoutHandler)handler;
        if (context.Removed || self._timer is null)
        {
            return;
        }

        self._timer = null;
        self._timeouts.Increment();
        context.CloseAsync();
    };

    private readonly TimeSpan _timeout;
    private readonly Counter _timeouts;
    private IScheduledTask? _timer;

    public HandshakeTimeoutHandler(TimeSpan timeout, Counter timeouts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeouts);
        _timeout = timeout;
        _timeouts = timeouts;
    }

    /// <summary>True while the clock runs.</summary>
    public bool Armed => _timer is not null;

    public override void HandlerAdded(IChannelHandlerContext context)
    {
        if (context.Channel.Active)
        {
            Arm(context);
        }
    }

    public override void ChannelActive(IChannelHandlerContext context)
    {
        if (_timer is null)
        {
            Arm(context);
        }

        context.FireChannelActive();
    }

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (message is HttpRequestHead)
        {
            // A whole request arrived: the next one gets a fresh allowance (an upgrade removes this handler).
            Arm(context);
        }

        context.FireChannelRead(message);
    }

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        Disarm();
        context.FireChannelInactive();
    }

    public override void HandlerRemoved(IChannelHandlerContext context) => Disarm();

    private void Arm(IChannelHandlerContext context)
    {
        _timer?.Cancel();
        _timer = context.Executor.Schedule(CloseOnTimeout, context, this, _timeout);
    }

    private void Disarm()
    {
        _timer?.Cancel();
        _timer = null;
    }
}
