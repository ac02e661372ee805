using System.Diagnostics;
using DotNetty.Common.Concurrency;
using DotNetty.Transport.Channels;
using Edge.Protocol.Client;
using Edge.Protocol.WebSockets;
using Edge.Server.FanOut;
using Edge.Server.Sse;
using Edge.Server.Transport;
using Edge.Server.WebSockets;
using Microsoft.Extensions.Logging;

namespace Edge.Server.Hosting;

/// <summary>
/// The clients' part of a graceful shutdown, run once the listener is closed and readiness is off. Each event loop
/// closes its own market-data sessions on its own thread (no session state is touched from elsewhere): it takes them
/// off the fan-out and starts the WebSocket close with 1001 and <see cref="CloseReason"/>, or ends an SSE stream with a
/// last <c>status</c> event carrying <see cref="CloseReason"/> and the terminating chunk. The drain then waits for
/// the close handshakes (or the TCP closes) until the drain timeout, and closes what is still open. It never waits
/// longer than the timeout for the clients, whatever they do.
/// </summary>
public sealed partial class ShutdownDrain
{
    /// <summary>The close reason every client gets: what happened and what to do.</summary>
    public const string CloseReason = "server shutting down; reconnect";

    // Closing a socket is local work; this only bounds a loop that no longer runs tasks.
    private static readonly TimeSpan ForcedCloseBound = TimeSpan.FromSeconds(5);

    private readonly IReadOnlyList<LoopFanOut> _loops;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;

    /// <param name="loops">The fan-out of every event loop: each knows its loop's sessions.</param>
    /// <param name="timeout">How long the clients get to finish their close handshakes.</param>
    /// <param name="logger">Logs the start and the outcome.</param>
    public ShutdownDrain(IReadOnlyList<LoopFanOut> loops, TimeSpan timeout, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(loops);
        ArgumentNullException.ThrowIfNull(logger);
        _loops = loops;
        _timeout = timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout;
        _logger = logger;
    }

    public async Task<ShutdownDrainResult> RunAsync()
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(_timeout.TotalSeconds * Stopwatch.Frequency);
        var loopDrains = new LoopDrain[_loops.Count];
        var started = new Task[_loops.Count];
        for (var i = 0; i < _loops.Count; i++)
        {
            loopDrains[i] = new LoopDrain(_loops[i]);
            started[i] = loopDrains[i].Started;
            try
            {
                _loops[i].Loop.Execute(loopDrains[i]);
            }
            catch (RejectedExecutionException)
            {
                // The loop is shut down already: it has no clients left to drain.
                loopDrains[i].Skip();
            }
        }

        await CompletesWithin(Task.WhenAll(started), Remaining(deadline)).ConfigureAwait(false);
        var channels = new List<IChannel>();
        foreach (var loopDrain in loopDrains)
        {
            if (loopDrain.Started.IsCompleted)
            {
                channels.AddRange(loopDrain.Channels);
            }
        }

        LogDraining(channels.Count, (int)_timeout.TotalSeconds);
        var closes = new Task[channels.Count];
        for (var i = 0; i < channels.Count; i++)
        {
            closes[i] = channels[i].CloseCompletion;
        }

        await CompletesWithin(Task.WhenAll(closes), Remaining(deadline)).ConfigureAwait(false);
        var forced = new List<Task>();
        foreach (var channel in channels)
        {
            if (!channel.CloseCompletion.IsCompleted)
            {
                forced.Add(channel.CloseAsync());
            }
        }

        await CompletesWithin(Task.WhenAll(forced), ForcedCloseBound).ConfigureAwait(false);
        var result = new ShutdownDrainResult(channels.Count, forced.Count);
        LogDrained(result.Clients, result.Forced);
        return result;
    }

    private static TimeSpan Remaining(long deadline)
    {
        var left = deadline - Stopwatch.GetTimestamp();
        return left <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)left / Stopwatch.Frequency);
    }

    /// <summary>Waits for <paramref name="task"/> at most <paramref name="bound"/>; never throws (the task's own fault is not ours to report).</summary>
    private static async Task CompletesWithin(Task task, TimeSpan bound)
    {
        if (!task.IsCompleted && bound > TimeSpan.Zero)
        {
            using var timer = new CancellationTokenSource();
            await Task.WhenAny(task, Task.Delay(bound, timer.Token)).ConfigureAwait(false);
            timer.Cancel();
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Shutdown: closing {Clients} clients with 1001, waiting up to {TimeoutSeconds} s for their close handshakes")]
    private partial void LogDraining(int clients, int timeoutSeconds);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Shutdown: {Clients} clients drained, {Forced} of them cut at the drain timeout")]
    private partial void LogDrained(int clients, int forced);

    /// <summary>One loop's part, run on that loop: its sessions leave the fan-out and get their close frame.</summary>
    private sealed class LoopDrain : IRunnable
    {
        private readonly LoopFanOut _loop;
        private readonly System.Threading.Tasks.TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private readonly byte[] _sseGoingAway = SseStreamCloser.GoingAwayEvent(CloseReason);

        public LoopDrain(LoopFanOut loop)
        {
            _loop = loop;
        }

        public Task Started => _started.Task;

        /// <summary>The channels of the loop's sessions; complete once <see cref="Started"/> is.</summary>
        public IChannel[] Channels { get; private set; } = [];

        public void Run()
        {
            try
            {
                // Copied first: unregistering removes sessions from the loop's list.
                var sessions = new FanOutSession[_loop.Sessions.Count];
                for (var i = 0; i < sessions.Length; i++)
                {
                    sessions[i] = _loop.Sessions[i];
                }

                var channels = new IChannel[sessions.Length];
                for (var i = 0; i < sessions.Length; i++)
                {
                    var session = sessions[i];
                    var channel = ChannelTransport.ChannelOf(session.Transport);
                    channels[i] = channel;
                    // No more prices for a client that is told to go; its handler sees the session closed.
                    _loop.Unregister(session);
                    if (session.Encoding == ClientEncoding.Sse)
                    {
                        SseStreamCloser.EndForShutdownAsync(channel, _sseGoingAway);
                    }
                    else
                    {
                        WebSocketCloser.CloseAsync(channel, WebSocketCloseCode.GoingAway, CloseReason);
                    }
                }

                Channels = channels;
            }
            finally
            {
                _started.TrySetResult();
            }
        }

        public void Skip() => _started.TrySetResult();
    }
}
