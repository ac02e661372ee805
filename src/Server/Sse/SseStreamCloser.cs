using System.Buffers;
using DotNetty.Transport.Channels;
using Edge.Protocol.Client;
using Edge.Protocol.Sse;

namespace Edge.Server.Sse;

/// <summary>
/// Server-initiated ends of SSE streams, callable from any thread. An SSE stream has no close handshake: it ends
/// cleanly with the last chunk, after an optional last event (a slow consumer's <c>error</c> event comes right after
/// what DotNetty already holds: the backlog waiting in Edge is dropped). Either way the browser's <c>EventSource</c>
/// reconnects after the <c>retry</c> delay.
/// </summary>
public static class SseStreamCloser
{
    private static readonly Action<object, object?> EndOnLoop = static (session, lastEvent) => ((SseSession)session).End((byte[]?)lastEvent);
    private static readonly Action<object, object?> EndSlowConsumerOnLoop = static (session, end) =>
    {
        var (lastEvent, timeout) = ((byte[], TimeSpan))end!;
        ((SseSession)session).EndSlowConsumer(lastEvent, timeout);
    };

    private static readonly Action<object, object?> EndForShutdownOnLoop = static (session, lastEvent) => ((SseSession)session).EndForShutdown((byte[])lastEvent!);

    /// <summary>
    /// Ends the stream cleanly: <paramref name="lastEvent"/> (a whole chunk, or null), then <c>0\r\n\r\n</c>, then the
    /// connection closes once they are written. The task completes when the channel is closed. A channel that is not
    /// an SSE stream is simply closed.
    /// </summary>
    public static Task EndAsync(IChannel channel, byte[]? lastEvent) => OnLoop(channel, EndOnLoop, lastEvent);

    /// <summary><see cref="EndAsync"/> for the shutdown drain: the same, counted as a shutdown end.</summary>
    public static Task EndForShutdownAsync(IChannel channel, byte[] lastEvent) => OnLoop(channel, EndForShutdownOnLoop, lastEvent);

    /// <summary>
    /// Ends a slow consumer's stream: what waits in Edge's write backlog is dropped, then an <c>error</c> event
    /// (<c>SLOW_CONSUMER</c>, <paramref name="reason"/>) and the last chunk follow what DotNetty already holds (whole
    /// chunks), and the connection closes once they are written, or after <paramref name="timeout"/> if the client
    /// takes nothing more. The task completes when the channel is closed.
    /// </summary>
    public static Task EndSlowConsumerAsync(IChannel channel, string reason, TimeSpan timeout)
    {
        var json = new ArrayBufferWriter<byte>(128);
        ServerMessageWriter.WriteError(json, ClientEncoding.Json, null, ErrorCode.SlowConsumer, reason);
        return OnLoop(channel, EndSlowConsumerOnLoop, (SseChunk.BuildEvent("error"u8, json.WrittenSpan), timeout));
    }

    /// <summary>
    /// Runs <paramref name="end"/> on the stream's session on its loop (at once when called there), or closes a channel
    /// that is not an SSE stream. The task completes when the channel is closed.
    /// </summary>
    private static Task OnLoop(IChannel channel, Action<object, object?> end, object? state)
    {
        ArgumentNullException.ThrowIfNull(channel);
        if (channel.Pipeline.Get<SseSession>() is not { } session)
        {
            return channel.CloseAsync();
        }

        if (channel.EventLoop.InEventLoop)
        {
            end(session, state);
        }
        else
        {
            channel.EventLoop.Execute(end, session, state);
        }

        return channel.CloseCompletion;
    }

    /// <summary>The <c>status</c> event that tells a client the server goes away: reconnect (to another instance).</summary>
    public static byte[] GoingAwayEvent(string reason)
    {
        var json = new ArrayBufferWriter<byte>(128);
        ServerMessageWriter.WriteStatus(json, ClientEncoding.Json, FeedState.Down, reason);
        return SseChunk.BuildEvent("status"u8, json.WrittenSpan);
    }
}
