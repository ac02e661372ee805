using System.Buffers;
using DotNetty.Common.Concurrency;
using Edge.Protocol.Client;
using Edge.Protocol.SocketIo;
using Edge.Protocol.Sse;
using Edge.Server.FanOut;
using Edge.Server.Transport;

namespace Edge.Server.Admin;

/// <summary>
/// Sends a <c>notice</c> to every session of one tenant. The message is encoded once per encoding, framed, and handed
/// to each event loop, which writes it to its own sessions of that tenant (on the loop thread: the loop's session list
/// is never read from elsewhere). The count is of sessions the notice was queued to.
/// </summary>
public sealed class NoticeBroadcaster
{
    // A loop that does not run the task in this time is not answering; its sessions count as not reached.
    private static readonly TimeSpan LoopBound = TimeSpan.FromSeconds(10);

    private readonly IReadOnlyList<LoopFanOut> _loops;
    private readonly TimeProvider _time;

    public NoticeBroadcaster(IReadOnlyList<LoopFanOut> loops, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(loops);
        _loops = loops;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Queues the notice to every open session of <paramref name="tenant"/>; returns how many it was queued to.</summary>
    public async Task<int> SendAsync(string tenant, string message)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        ArgumentNullException.ThrowIfNull(message);
        var time = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks * 100;
        var payload = new ArrayBufferWriter<byte>(256);
        ServerMessageWriter.WriteNotice(payload, ClientEncoding.MessagePack, message, time);
        var messagePack = MessageFraming.Build(ClientEncoding.MessagePack, payload.WrittenSpan);
        payload.ResetWrittenCount();
        ServerMessageWriter.WriteNotice(payload, ClientEncoding.Json, message, time);
        var json = MessageFraming.Build(ClientEncoding.Json, payload.WrittenSpan);
        var sse = SseChunk.BuildEvent("notice"u8, payload.WrittenSpan);
        payload.ResetWrittenCount();
        SocketIoMessageWriter.WriteNotice(payload, message, time / 1_000_000);
        var socketIo = MessageFraming.Build(ClientEncoding.SocketIo, payload.WrittenSpan);

        var jobs = new LoopNotice[_loops.Count];
        var done = new Task[_loops.Count];
        for (var i = 0; i < _loops.Count; i++)
        {
            jobs[i] = new LoopNotice(_loops[i], tenant, messagePack, json, sse, socketIo);
            done[i] = jobs[i].Done;
            try
            {
                _loops[i].Loop.Execute(jobs[i]);
            }
            catch (RejectedExecutionException)
            {
                // The loop is shut down: it has no sessions to reach.
                jobs[i].Skip();
            }
        }

        using (var timer = new CancellationTokenSource())
        {
            await Task.WhenAny(Task.WhenAll(done), Task.Delay(LoopBound, timer.Token)).ConfigureAwait(false);
            timer.Cancel();
        }

        var delivered = 0;
        foreach (var job in jobs)
        {
            delivered += job.Done.IsCompleted ? job.Done.Result : 0;
        }

        return delivered;
    }

    /// <summary>One loop's part: on the loop thread, write the frame to each open session of the tenant.</summary>
    private sealed class LoopNotice : IRunnable
    {
        private readonly LoopFanOut _loop;
        private readonly string _tenant;
        private readonly byte[] _messagePack;
        private readonly byte[] _json;
        private readonly byte[] _sse;
        private readonly byte[] _socketIo;
        private readonly TaskCompletionSource<int> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LoopNotice(LoopFanOut loop, string tenant, byte[] messagePack, byte[] json, byte[] sse, byte[] socketIo)
        {
            _socketIo = socketIo;
            _sse = sse;
            _loop = loop;
            _tenant = tenant;
            _messagePack = messagePack;
            _json = json;
        }

        public Task<int> Done => _done.Task;

        public void Run()
        {
            var delivered = 0;
            try
            {
                var sessions = _loop.Sessions;
                for (var i = 0; i < sessions.Count; i++)
                {
                    var session = sessions[i];
                    var channel = ChannelTransport.ChannelOf(session.Transport);
                    if (session.Closed || !channel.Active || !string.Equals(session.Tenant, _tenant, StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var frame = session.Encoding switch
                    {
                        ClientEncoding.Json => _json,
                        ClientEncoding.Sse => _sse,
                        ClientEncoding.SocketIo => _socketIo,
                        _ => _messagePack,
                    };
                    var buffer = channel.Allocator.Buffer(frame.Length);
                    buffer.WriteBytes(frame);
                    // Through the whole pipeline: the WebSocket codec drops it if the connection is already closing.
                    channel.WriteAndFlushAsync(buffer);
                    delivered++;
                }
            }
            finally
            {
                _done.TrySetResult(delivered);
            }
        }

        public void Skip() => _done.TrySetResult(0);
    }
}
