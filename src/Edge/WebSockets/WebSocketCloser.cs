using DotNetty.Transport.Channels;
using Edge.Protocol.WebSockets;
using Edge.Server.Transport;

namespace Edge.Server.WebSockets;

/// <summary>Server-initiated close of a WebSocket connection, callable from any thread.</summary>
public static class WebSocketCloser
{
    private static readonly Action<object, object> StartOnLoop = static (codec, close) =>
    {
        var (code, reason) = ((ushort, string?))close;
        ((WebSocketCodec)codec).StartClose(code, reason);
    };

    private static readonly Action<object, object> DiscardAndStartOnLoop = static (codec, close) =>
    {
        var (code, reason) = ((ushort, string?))close;
        DiscardAndStart((WebSocketCodec)codec, code, reason);
    };

    /// <summary>
    /// Sends a close frame with <paramref name="code"/> and <paramref name="reason"/> (cut to 123 UTF-8 bytes), after
    /// which no data frame goes out; waits for the client's close frame up to the configured close timeout; then
    /// closes TCP. The task completes when the channel is closed. A channel without a WebSocket codec (not upgraded)
    /// is simply closed. Calling it again, or after the client started the close, changes nothing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> may not be sent (see <see cref="WebSocketCloseCode.IsValidOnWire"/>).</exception>
    public static Task CloseAsync(IChannel channel, ushort code, string? reason = null) => StartCloseAsync(channel, code, reason, discardQueued: false);

    /// <summary>
    /// <see cref="CloseAsync(IChannel, ushort, string?)"/> for a client that does not read (4008): what waits in Edge's
    /// <see cref="WriteBacklog"/> is dropped first, so the close frame follows right after what DotNetty already holds
    /// (whole frames) instead of after the whole backlog.
    /// </summary>
    public static Task DiscardQueuedAndCloseAsync(IChannel channel, ushort code, string? reason) => StartCloseAsync(channel, code, reason, discardQueued: true);

    private static void DiscardAndStart(WebSocketCodec codec, ushort code, string? reason)
    {
        if (!codec.CloseSent)
        {
            codec.Backlog?.Discard();
        }

        codec.StartClose(code, reason);
    }

    private static Task StartCloseAsync(IChannel channel, ushort code, string? reason, bool discardQueued)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (!WebSocketCloseCode.IsValidOnWire(code))
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "not a close code that may be sent");
        }

        if (channel.Pipeline.Get<WebSocketCodec>() is not { } codec)
        {
            return channel.CloseAsync();
        }

        if (channel.EventLoop.InEventLoop)
        {
            if (discardQueued)
            {
                DiscardAndStart(codec, code, reason);
            }
            else
            {
                codec.StartClose(code, reason);
            }
        }
        else
        {
            channel.EventLoop.Execute(discardQueued ? DiscardAndStartOnLoop : StartOnLoop, codec, (code, reason));
        }

        return channel.CloseCompletion;
    }
}
