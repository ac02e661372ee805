using System.Buffers;
using DotNetty.Handlers.Timeout;
using DotNetty.Transport.Channels;
using Edge.Protocol.Client;
using Edge.Protocol.WebSockets;
using Edge.Server.Admission;
using Edge.Server.Auth;
using Edge.Server.Tenants;
using Edge.Server.Transport;
using Edge.Server.WebSockets;

namespace Edge.Server.Sessions;

/// <summary>
/// One market-data client behind the WebSocket codec: sends <c>connected</c>, answers commands (subscribe with ack
/// then snapshot, unsubscribe, ping, auth refresh) under a token bucket, sends heartbeats with a WebSocket ping,
/// closes on idle (1001), token expiry (4001), flooding (1008) or a refused refresh (4002), and releases every
/// subscription the moment the connection ends. Everything runs on the connection's event loop.
/// </summary>
public sealed class MarketDataSession : ChannelHandlerAdapter
{
    private const string IdleHandlerName = "idle";
    private static readonly Action<object> HeartbeatTick = static state => ((MarketDataSession)state).OnHeartbeat();
    private static readonly Action<object> ExpiryTick = static state => ((MarketDataSession)state).OnExpiryCheck();

    private readonly SessionServices _services;
    private readonly ClientConnection _connection;
    private readonly TenantPolicy _tenant;
    private readonly TenantCounters _tenantCounters;
    private readonly ArrayBufferWriter<byte> _payload = new(256);
    private ClientIdentity _identity;
    private IChannelHandlerContext? _context;
    private DotNetty.Common.Concurrency.IScheduledTask? _expiryCheck;
    private MarketDataCommands? _commands;
    private bool _closing;

    public MarketDataSession(SessionServices services, ClientConnection connection, TenantPolicy tenant, TenantCounters tenantCounters)
    {
        _services = services;
        _connection = connection;
        _tenant = tenant;
        _tenantCounters = tenantCounters;
        _identity = connection.Identity;
    }

    private ClientEncoding Encoding => _connection.Encoding;

    public override void HandlerAdded(IChannelHandlerContext context)
    {
        _context = context;
        var channel = context.Channel;
        // Idle detection counts raw inbound bytes, pongs included, so it sits before the codec.
        context.Channel.Pipeline.InsertBefore(WebSocketCodec.HandlerName, IdleHandlerName,
            new IdleStateHandler(TimeSpan.FromSeconds(_services.Options.IdleTimeoutSeconds), TimeSpan.Zero, TimeSpan.Zero));
        _commands = new MarketDataCommands(_services, channel, Encoding, _tenant, _tenantCounters);

        var limits = new ConnectionLimits(
            _tenant.Options.MaxSubscriptionsPerClient,
            _services.CommandLimits.MaxSymbolsPerRequest,
            _services.CommandLimits.MaxMessageBytes,
            (int)Math.Ceiling(_tenant.Options.CommandsPerSecond));
        _payload.ResetWrittenCount();
        ServerMessageWriter.WriteConnected(
            _payload, Encoding, channel.Id.AsShortText(), UnixNanos(), _services.Options.HeartbeatIntervalSeconds * 1000, limits);
        Send(flush: true);
        context.Executor.Schedule(HeartbeatTick, this, HeartbeatPhase.FirstDelay(TimeSpan.FromSeconds(_services.Options.HeartbeatIntervalSeconds)));
        ScheduleExpiryCheck();
    }

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (message is not WebSocketMessage webSocketMessage)
        {
            context.FireChannelRead(message);
            return;
        }

        try
        {
            OnMessage(webSocketMessage);
        }
        finally
        {
            webSocketMessage.Release();
        }
    }

    public override void ChannelWritabilityChanged(IChannelHandlerContext context)
    {
        if (_commands is not null)
        {
            _commands.Loop.OnWritabilityChanged(_commands.Session);
        }

        context.FireChannelWritabilityChanged();
    }

    public override void UserEventTriggered(IChannelHandlerContext context, object evt)
    {
        if (evt is IdleStateEvent)
        {
            _services.Counters.IdleCloses.Increment();
            Close(WebSocketCloseCode.GoingAway, "idle timeout: nothing received");
            return;
        }

        context.FireUserEventTriggered(evt);
    }

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        EndSession();
        context.FireChannelInactive();
    }

    public override void HandlerRemoved(IChannelHandlerContext context) => EndSession();

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception)
    {
        _services.RecordSessionError("session", exception);
        Close(WebSocketCloseCode.InternalError, "internal error");
    }

    private void OnMessage(WebSocketMessage message)
    {
        // Closed: the fan-out let go of the session (slow consumer, shutdown drain) and its close is under way.
        var commands = _commands!;
        if (_closing || commands.Session.Closed)
        {
            return;
        }

        if (message.IsText != (Encoding == ClientEncoding.Json))
        {
            Close(WebSocketCloseCode.UnsupportedData, Encoding == ClientEncoding.Json ? "this connection speaks JSON in text frames" : "this connection speaks MessagePack in binary frames");
            return;
        }

        var verdict = commands.TakeCommand();
        if (verdict == CommandRateVerdict.Flooding)
        {
            Close(WebSocketCloseCode.PolicyViolation, MarketDataCommands.FloodingReason);
            return;
        }

        if (verdict == CommandRateVerdict.Over)
        {
            // The refusal names the request it refuses (when its id can be read), so the client can fail that request at once.
            var refused = PayloadOf(message);
            long? refusedId = ClientCommandDecoder.TryReadId(Encoding, refused, _services.CommandLimits.MaxMessageBytes, out var id) ? id : null;
            SendError(refusedId, ErrorCode.RateLimited, "rate limit exceeded: slow down");
            return;
        }

        var bytes = PayloadOf(message);
        if (!ClientCommandDecoder.TryDecode(Encoding, bytes, _services.CommandLimits, out var command, out var error))
        {
            _services.Counters.InvalidCommands.Increment();
            SendError(error.Id, error.Code, error.Message);
            return;
        }

        _services.Counters.Commands(command.Type).Increment();
        switch (command.Type)
        {
            case ClientCommandType.Subscribe:
                Subscribe(command);
                break;
            case ClientCommandType.Unsubscribe:
                Unsubscribe(command);
                break;
            case ClientCommandType.Ping:
                _payload.ResetWrittenCount();
                ServerMessageWriter.WritePong(_payload, Encoding, command.Id ?? 0, UnixNanos());
                Send(flush: true);
                break;
            case ClientCommandType.Auth:
                Refresh(command.Token);
                break;
        }
    }

    private void Subscribe(ClientCommand command)
    {
        _commands!.Subscribe(command.Symbols, command.SymbolErrors, command.MaxRate, out var subscribed, out var errors, out var snapshot);
        _payload.ResetWrittenCount();
        ServerMessageWriter.WriteAck(_payload, Encoding, command.Id ?? 0, AckKind.Subscribe, subscribed.ToArray(), errors.ToArray());
        Send(flush: subscribed.Count == 0);
        if (subscribed.Count > 0)
        {
            // The snapshot follows the ack, before any later update: both are written on this loop now, and the
            // loop's fan-out only sends prices newer than the snapshot's. A symbol with no price yet (pending) has no
            // entry in it, so a subscribe of only such symbols gets an empty snapshot (prices: []).
            var frame = new byte[SnapshotAssembler.GetFrameLength(Encoding, snapshot.Count, TotalLength(snapshot))];
            var length = SnapshotAssembler.Encode(frame, Encoding, snapshot.ToArray());
            _context!.WriteAndFlushAsync(DotNetty.Buffers.Unpooled.WrappedBuffer(frame, 0, length));
        }
    }

    private void Unsubscribe(ClientCommand command)
    {
        var unsubscribed = _commands!.Unsubscribe(command.Symbols);
        _payload.ResetWrittenCount();
        ServerMessageWriter.WriteAck(_payload, Encoding, command.Id ?? 0, AckKind.Unsubscribe, unsubscribed.ToArray(), [.. command.SymbolErrors]);
        Send(flush: true);
    }

    private void Refresh(string? token)
    {
        var result = _services.Validator.ValidateRefresh(_identity, token);
        if (!result.Succeeded)
        {
            var code = result.Failure == AuthFailureReason.TokenMismatch ? ErrorCode.TokenMismatch : ErrorCode.Unauthorized;
            SendError(null, code, result.Message);
            Close(WebSocketCloseCode.Unauthorized, "token refresh refused");
            return;
        }

        _identity = result.Identity!;
        // The new token may expire sooner than the old one: the check is re-armed for the new deadline.
        _expiryCheck?.Cancel();
        ScheduleExpiryCheck();
    }

    private void OnHeartbeat()
    {
        if (_closing || _context is null || !_context.Channel.Active)
        {
            return;
        }

        _payload.ResetWrittenCount();
        ServerMessageWriter.WriteHeartbeat(_payload, Encoding, UnixNanos());
        Send(flush: false);
        _context.WriteAndFlushAsync(PooledMessageFrames.Ping(_context.Allocator, ReadOnlySpan<byte>.Empty));
        _context.Executor.Schedule(HeartbeatTick, this, TimeSpan.FromSeconds(_services.Options.HeartbeatIntervalSeconds));
    }

    private void ScheduleExpiryCheck()
    {
        // The validator's deadline (exp + clock skew), the same one the handshake admitted the token by.
        var delay = MarketDataCommands.ExpiryCheckDelay(_services.Validator.TimeLeft(_identity));
        _expiryCheck = _context!.Executor.Schedule(ExpiryTick, this, delay);
    }

    private void OnExpiryCheck()
    {
        if (_closing || _context is null || !_context.Channel.Active)
        {
            return;
        }

        if (_services.Validator.TimeLeft(_identity) < TimeSpan.Zero)
        {
            // protocol.md: the client learns why before the close, as an SSE stream does.
            _services.Counters.TokenExpiredCloses.Increment();
            SendError(null, ErrorCode.TokenExpired, "token expired: reconnect with a fresh token");
            Close(WebSocketCloseCode.TokenExpired, "token expired: reconnect with a fresh token");
            return;
        }

        ScheduleExpiryCheck();
    }

    private void SendError(long? id, ErrorCode code, string message)
    {
        _payload.ResetWrittenCount();
        ServerMessageWriter.WriteError(_payload, Encoding, id, code, message);
        Send(flush: true);
    }

    private void Send(bool flush) => PooledMessageFrames.Send(_context!, MessageFraming.OpcodeOf(Encoding), _payload.WrittenSpan, flush);

    private void Close(ushort code, string reason)
    {
        if (_closing || _context is null)
        {
            return;
        }

        _closing = true;
        EndSession();
        WebSocketCloser.CloseAsync(_context.Channel, code, reason);
    }

    private void EndSession() => _commands?.End();

    private static ReadOnlyMemory<byte> PayloadOf(WebSocketMessage message)
    {
        var payload = message.Payload;
        return new ReadOnlyMemory<byte>(payload.Array, payload.ArrayOffset + payload.ReaderIndex, payload.ReadableBytes);
    }

    private static int TotalLength(List<ReadOnlyMemory<byte>> payloads)
    {
        var total = 0;
        foreach (var payload in payloads)
        {
            total += payload.Length;
        }

        return total;
    }

    /// <summary>Server times on the wire are int64 nanoseconds since the Unix epoch, like price timestamps.</summary>
    private static long UnixNanos() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
}
