using System.Buffers;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;
using Edge.Protocol.Client;
using Edge.Protocol.Sse;
using Edge.Server.Auth;
using Edge.Server.FanOut;
using Edge.Server.Sessions;
using Edge.Server.Tenants;
using Edge.Server.Transport;

namespace Edge.Server.Sse;

/// <summary>
/// One SSE market-data stream, the last handler of its connection once <see cref="SseEndpoint"/> accepted it (the HTTP
/// decoder is gone by then). <see cref="Start"/> registers a <see cref="FanOutSession"/> with the SSE encoding,
/// subscribes its symbols and writes, in one buffer, the 200 head, the <c>retry:</c> advice and the <c>snapshot</c>
/// event; from then on the loop's fan-out corks the shared SSE chunks into it like any session (rate limits,
/// conflation, slow-consumer end). It writes <c>: hb</c> heartbeats, ends the stream with an <c>error</c> event when the
/// token expires, and releases every subscription when the connection ends. Everything runs on the connection's loop.
/// </summary>
public sealed class SseSession : ChannelHandlerAdapter
{
    /// <summary>Its name in the pipeline.</summary>
    public const string HandlerName = "sse-stream";

    private static readonly Action<object> HeartbeatTick = static state => ((SseSession)state).OnHeartbeat();
    private static readonly Action<object> ExpiryTick = static state => ((SseSession)state).OnExpiryCheck();
    private static readonly Action<object> CutTick = static channel => ((IChannel)channel).CloseAsync();
    private static readonly Action<Task, object?> CloseAfterWrite = static (_, channel) => ((IChannel)channel!).CloseAsync();

    private readonly SseEndpoint _endpoint;
    private readonly ClientIdentity _identity;
    private readonly TenantPolicy _tenant;
    private readonly TenantCounters _tenantCounters;
    private readonly int[] _symbolIds;
    private readonly long _intervalTicks;
    private readonly byte[] _responseHead;
    private readonly bool _reconnect;
    private IChannelHandlerContext? _context;
    private LoopFanOut? _loop;
    private FanOutSession? _session;
    private int _subscriptionsCounted;
    private bool _ending;
    private bool _ended;

    public SseSession(
        SseEndpoint endpoint,
        ClientIdentity identity,
        TenantPolicy tenant,
        TenantCounters tenantCounters,
        int[] symbolIds,
        long intervalTicks,
        byte[] responseHead,
        bool reconnect)
    {
        _endpoint = endpoint;
        _identity = identity;
        _tenant = tenant;
        _tenantCounters = tenantCounters;
        _symbolIds = symbolIds;
        _intervalTicks = intervalTicks;
        _responseHead = responseHead;
        _reconnect = reconnect;
    }

    /// <summary>The stream's fan-out session once started.</summary>
    public FanOutSession? Session => _session;

    public override void HandlerAdded(IChannelHandlerContext context) => _context = context;

    /// <summary>
    /// Starts the stream, on the loop, right after the pipeline became <c>… → sse-stream</c>. The snapshot and the
    /// subscriptions are taken in this one loop task, so every later price the fan-out corks is newer than the snapshot.
    /// </summary>
    public void Start()
    {
        var context = _context!;
        var channel = context.Channel;
        if (!channel.Active)
        {
            // The client left before its stream began: nothing to register (its close already went by this handler).
            return;
        }

        _loop = _endpoint.Sessions.FanOut.For(channel.EventLoop);
        _session = new FanOutSession(new ChannelTransport(channel), ClientEncoding.Sse, _tenant.Name);
        _loop.Register(_session);
        var counters = _endpoint.Counters;
        counters.Streams.Increment();
        counters.StreamsOpened.Increment();
        if (_reconnect)
        {
            counters.Reconnects.Increment();
        }

        _tenantCounters.SseStreams.Increment();

        var payloads = new List<ReadOnlyMemory<byte>>(_symbolIds.Length);
        var total = 0;
        foreach (var symbolId in _symbolIds)
        {
            var latest = _loop.Subscribe(_session, symbolId, _intervalTicks);
            if (latest is null)
            {
                continue;
            }

            _loop.EnsureEncoded(latest, ClientEncoding.Json);
            var payload = SnapshotAssembler.PayloadOf(latest.Frame(ClientEncoding.Json)).ToArray();
            payloads.Add(payload);
            total += payload.Length;
        }

        _subscriptionsCounted = _session.Subscriptions.Count;
        _tenantCounters.Subscriptions.Add(_subscriptionsCounted);

        // The snapshot event's data is the JSON snapshot message, exactly as a JSON WebSocket client gets it.
        var frame = new byte[SnapshotAssembler.GetFrameLength(ClientEncoding.Json, payloads.Count, total)];
        var frameLength = SnapshotAssembler.Encode(frame, ClientEncoding.Json, payloads.ToArray());
        var snapshotJson = SnapshotAssembler.PayloadOf(frame.AsSpan(0, frameLength));

        Span<byte> retry = stackalloc byte[32];
        var retryLength = SseChunk.WriteRetry(retry, _endpoint.Options.RetryMilliseconds);
        var snapshotLength = SseChunk.GetEventChunkLength("snapshot"u8.Length, snapshotJson.Length);
        var buffer = context.Allocator.Buffer(_responseHead.Length + retryLength + snapshotLength);
        buffer.WriteBytes(_responseHead);
        buffer.WriteBytes(retry[..retryLength].ToArray());
        var chunk = new byte[snapshotLength];
        SseChunk.WriteEvent(chunk, "snapshot"u8, snapshotJson);
        buffer.WriteBytes(chunk);
        context.WriteAndFlushAsync(buffer);

        context.Executor.Schedule(HeartbeatTick, this, HeartbeatPhase.FirstDelay(TimeSpan.FromSeconds(_endpoint.Options.HeartbeatSeconds)));
        ScheduleExpiryCheck();
    }

    /// <summary>
    /// Ends the stream cleanly: no more prices, then an optional last event (already a chunk), the terminating chunk
    /// <c>0\r\n\r\n</c>, and the connection closed once they are written. Loop thread only; a second call does nothing.
    /// </summary>
    public void End(byte[]? lastEvent)
    {
        if (_ending || _context is null)
        {
            return;
        }

        _ending = true;
        EndSession();
        var context = _context;
        var buffer = context.Allocator.Buffer((lastEvent?.Length ?? 0) + SseChunk.Terminator.Length);
        if (lastEvent is not null)
        {
            buffer.WriteBytes(lastEvent);
        }

        buffer.WriteBytes(SseChunk.Terminator.ToArray());
        context.WriteAndFlushAsync(buffer).ContinueWith(CloseAfterWrite, context.Channel, TaskScheduler.Default);
    }

    /// <summary>
    /// <see cref="End"/> for a slow consumer: drops what waits in the connection's write backlog (if the fan-out has not
    /// already), so the last event follows what DotNetty already holds; cuts the connection after
    /// <paramref name="timeout"/> if the client takes nothing more. Loop thread only.
    /// </summary>
    public void EndSlowConsumer(byte[] lastEvent, TimeSpan timeout)
    {
        if (_ending || _context is null)
        {
            return;
        }

        _context.Channel.Pipeline.Get<WriteBacklog>()?.Discard();
        End(lastEvent);
        _context.Executor.Schedule(CutTick, _context.Channel, timeout);
    }

    /// <summary><see cref="End"/> for the shutdown drain (counted apart).</summary>
    public void EndForShutdown(byte[] lastEvent)
    {
        if (!_ending && _context is not null)
        {
            _endpoint.Counters.ShutdownEnds.Increment();
        }

        End(lastEvent);
    }

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        // A stream's client has nothing more to say; bytes it sends anyway (or pipelined after its request) are dropped.
        ReferenceCountUtil.Release(message);
    }

    public override void ChannelWritabilityChanged(IChannelHandlerContext context)
    {
        if (_session is not null && !_session.Closed)
        {
            _loop!.OnWritabilityChanged(_session);
        }

        context.FireChannelWritabilityChanged();
    }

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        EndSession();
        context.FireChannelInactive();
    }

    public override void HandlerRemoved(IChannelHandlerContext context) => EndSession();

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception)
    {
        _endpoint.Sessions.RecordSessionError("sse session", exception);
        EndSession();
        context.CloseAsync();
    }

    private void OnHeartbeat()
    {
        if (_ending || _ended || _context is null || !_context.Channel.Active)
        {
            return;
        }

        // A client that cannot take more bytes has data queued anyway; the slow-consumer policy watches it.
        if (_context.Channel.IsWritable)
        {
            var buffer = _context.Allocator.Buffer(SseChunk.Heartbeat.Length);
            buffer.WriteBytes(SseChunk.Heartbeat.ToArray());
            _context.WriteAndFlushAsync(buffer);
            _endpoint.Counters.Heartbeats.Increment();
        }

        _context.Executor.Schedule(HeartbeatTick, this, TimeSpan.FromSeconds(_endpoint.Options.HeartbeatSeconds));
    }

    private void ScheduleExpiryCheck()
    {
        // The validator's deadline (exp + clock skew), the same one the request was admitted by.
        var left = _endpoint.Sessions.Validator.TimeLeft(_identity);
        // Timers further out than a day are re-armed daily; never schedule below 1 ms (it spins the loop).
        var delay = left < TimeSpan.FromMilliseconds(5) ? TimeSpan.FromMilliseconds(5) : left > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : left;
        _context!.Executor.Schedule(ExpiryTick, this, delay);
    }

    private void OnExpiryCheck()
    {
        if (_ending || _ended || _context is null || !_context.Channel.Active)
        {
            return;
        }

        if (_endpoint.Sessions.Validator.TimeLeft(_identity) >= TimeSpan.Zero)
        {
            ScheduleExpiryCheck();
            return;
        }

        // The WebSocket path closes with 4001 here; a stream ends with the same error message as an event.
        _endpoint.Sessions.Counters.TokenExpiredCloses.Increment();
        var json = new ArrayBufferWriter<byte>(128);
        ServerMessageWriter.WriteError(json, ClientEncoding.Json, null, ErrorCode.TokenExpired, "token expired: reconnect with a fresh token");
        End(SseChunk.BuildEvent("error"u8, json.WrittenSpan));
    }

    private void EndSession()
    {
        if (_session is null || _ended)
        {
            return;
        }

        // The fan-out may have let go of it already (slow consumer, shutdown drain); Unregister is idempotent.
        _ended = true;
        _loop!.Unregister(_session);
        _endpoint.Counters.Streams.Decrement();
        _tenantCounters.SseStreams.Decrement();
        _tenantCounters.Subscriptions.Add(-_subscriptionsCounted);
        _subscriptionsCounted = 0;
    }
}
