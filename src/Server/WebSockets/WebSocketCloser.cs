using DotNetty.Transport.Channels;
using Edge.Protocol.WebSockets;

namespace Edge.Server.WebSockets;

/// <summary>Server-initiated close of a WebSocket connection, callable from any thread.</summary>
public static class WebSocketCloser
{
    private static readonly Action<object, object> StartOnLoop = static (codec, close) =>
    {
        var (code, reason) = ((ushort, string?))close;
        ((WebSocketCodec)codec).StartClose(code, reason);
    };

    /// <summary>
    /// Sends a close frame with <paramref name="code"/> and <paramref name="reason"/> (cut to 123 UTF-8 bytes), after
    /// which no data frame goes out; waits for the client's close frame up to the configured close timeout; then
    /// closes TCP. The task completes when the channel is closed. A channel without a WebSocket codec (not upgraded)
    /// is simply closed. Calling it again, or after the client started the close, changes nothing.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="code"/> may not be sent (see <see cref="WebSocketCloseCode.IsValidOnWire"/>).</exception>
    public static Task CloseAsync(IChannel channel, ushort code, string? reason = null)
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
            codec.StartClose(code, reason);
        }
        else
        {
            channel.EventLoop.Execute(StartOnLoop, codec, (code, reason));
        }

        return channel.CloseCompletion;
    }
}
