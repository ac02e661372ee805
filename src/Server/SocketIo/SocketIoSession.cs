using System.Buffers;
using System.Diagnostics;
using System.Security.Cryptography;
using DotNetty.Transport.Channels;
using Edge.Protocol.Client;
using Edge.Protocol.SocketIo;
using Edge.Protocol.WebSockets;
using Edge.Server.Auth;
using Edge.Server.Sessions;
using Edge.Server.WebSockets;

namespace Edge.Server.SocketIo;

/// <summary>
/// One socket.io client behind the WebSocket codec. Engine.IO v4: the open packet, a ping every <c>pingInterval</c>
/// and a close when no pong (or anything) came back within <c>pingTimeout</c>, the client's close packet. socket.io v5
/// on <c>/market-data</c>: CONNECT authenticates (<see cref="SocketIoEndpoint.Authenticate"/>) and opens a market-data
/// session sharing everything with the WebSocket protocol's (fan-out, tenants, token bucket, subscription rules,
/// slow-consumer closes, shutdown drain); EVENTs <c>subscribe</c> / <c>unsubscribe</c> are answered through their
/// ack, followed by a <c>snapshot</c> event; <c>heartbeat</c> events, feed <c>status</c>, operator <c>notice</c>; token
/// expiry sends an <c>error</c> event, a DISCONNECT and closes. Malformed, binary or oversized packets close the
/// connection (1007, 1003, 1009) and touch nothing else. Everything runs on the connection's event loop.
/// </summary>
public sealed class SocketIoSession : ChannelHandlerAdapter
{
    private static readonly Action<object> PingTick = static state => ((SocketIoSession)state).OnPing();
    private static readonly Action<object> PongCheckTick = static state => ((SocketIoSession)state).OnPongCheck();
    private static readonly Action<object> ConnectTimeoutTick = static state => ((SocketIoSession)state).OnConnectTimeout();
    private static readonly Action<object> HeartbeatTick = static state =>
    {
        var tick = (GenerationTick)state;
        tick.Session.OnHeartbeat(tick.Generation);
    };
    private static readonly Action<object> ExpiryTick = static state => ((SocketIoSession)state).OnExpiryCheck();

    private readonly SocketIoEndpoint _endpoint;
    private readonly WebSocketAdmissionRequest _request;
    private readonly SessionServices _services;
    private readonly ArrayBufferWriter<byte> _payload = new(256);
    private IChannelHandlerContext? _context;
    private ClientIdentity? _identity;
    private MarketDataCommands? _commands;
    private DotNetty.Common.Concurrency.IScheduledTask? _expiryCheck;
    private IDisposable? _lease;
    private long _lastHeard;
    private long _pingSentAt;
    private int _generation;
    private bool _closing;
    private bool _counted;

    public SocketIoSession(SocketIoEndpoint endpoint, WebSocketAdmissionRequest request)
    {
        _endpoint = endpoint;
        _request = request;
        _services = endpoint.Sessions;
    }

    /// <summary>True once the client joined <c>/market-data</c> (and until it leaves).</summary>
    public bool Joined => _commands is not null && !_commands.Session.Closed;

    public override void HandlerAdded(IChannelHandlerContext context)
    {
        _context = context;
        _lastHeard = Stopwatch.GetTimestamp();
        _endpoint.Counters.Connections.Increment();
        _counted = true;
        var options = _endpoint.Options;
        _payload.ResetWrittenCount();
        SocketIoMessageWriter.WriteOpen(_payload, NewId(), options.PingIntervalMilliseconds, options.PingTimeoutMilliseconds, _endpoint.MaxPayload);
        Send(flush: true);
        context.Executor.Schedule(PingTick, this, TimeSpan.FromMilliseconds(options.PingIntervalMilliseconds));
        context.Executor.Schedule(ConnectTimeoutTick, this, TimeSpan.FromMilliseconds(options.ConnectTimeoutMilliseconds));
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
            _lastHeard = Stopwatch.GetTimestamp();
            if (_closing)
            {
                return;
            }

            if (!webSocketMessage.IsText)
            {
                ProtocolError(WebSocketCloseCode.UnsupportedData, "binary packets are not supported");
                return;
            }

            var payload = webSocketMessage.Payload;
            if (payload.ReadableBytes > _endpoint.MaxPayload)
            {
                ProtocolError(WebSocketCloseCode.MessageTooBig, "packet over maxPayload");
                return;
            }

            OnPacket(new ReadOnlySpan<byte>(payload.Array, payload.ArrayOffset + payload.ReaderIndex, payload.ReadableBytes));
        }
        finally
        {
            webSocketMessage.Release();
        }
    }

    public override void ChannelWritabilityChanged(IChannelHandlerContext context)
    {
        if (Joined)
        {
            _commands!.Loop.OnWritabilityChanged(_commands.Session);
        }

        context.FireChannelWritabilityChanged();
    }

    public override void ChannelInactive(IChannelHandlerContext context)
    {
        Leave();
        Uncount();
        context.FireChannelInactive();
    }

    public override void HandlerRemoved(IChannelHandlerContext context)
    {
        Leave();
        Uncount();
    }

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception)
    {
        _services.RecordSessionError("socket.io session", exception);
        Close(WebSocketCloseCode.InternalError, "internal error");
    }

    private void OnPacket(ReadOnlySpan<byte> text)
    {
        var error = SocketIoPacketParser.Parse(text, out var packet);
        if (error is not null)
        {
            ProtocolError(WebSocketCloseCode.InvalidPayloadData, error);
            return;
        }

        switch (packet.EngineType)
        {
            case EngineIoPacketType.Message:
                OnSocketIoPacket(packet);
                return;
            case EngineIoPacketType.Ping:
                // Engine.IO v4 clients do not ping, but an answer costs nothing (a "probe" is echoed as engine.io does).
                _payload.ResetWrittenCount();
                _payload.Write("3"u8);
                _payload.Write(packet.Data);
                Send(flush: true);
                return;
            case EngineIoPacketType.Pong:
            case EngineIoPacketType.Noop:
            case EngineIoPacketType.Upgrade:
                return;
            case EngineIoPacketType.Close:
                Close(WebSocketCloseCode.NormalClosure, "client closed");
                return;
            default:
                ProtocolError(WebSocketCloseCode.PolicyViolation, "a client may not send an open packet");
                return;
        }
    }

    private void OnSocketIoPacket(SocketIoPacket packet)
    {
        var ours = packet.Namespace.SequenceEqual("/market-data"u8);
        switch (packet.Type)
        {
            case SocketIoPacketType.Connect:
                if (!ours)
                {
                    _endpoint.Counters.ConnectErrors.Increment();
                    _payload.ResetWrittenCount();
                    SocketIoMessageWriter.WriteConnectError(_payload, packet.Namespace, "Invalid namespace", null);
                    Send(flush: true);
                    return;
                }

                if (_commands is null)
                {
                    Join(packet.Data);
                }

                return;
            case SocketIoPacketType.Disconnect:
                if (ours)
                {
                    Leave();
                }

                return;
            case SocketIoPacketType.Event:
                if (ours && Joined)
                {
                    OnEvent(packet.Data, packet.AckId);
                }

                return;
            case SocketIoPacketType.Ack:
                // Edge asks no acks of its clients.
                return;
            default:
                ProtocolError(WebSocketCloseCode.PolicyViolation, "a client may not send CONNECT_ERROR");
                return;
        }
    }

    private void Join(ReadOnlySpan<byte> data)
    {
        var malformed = SocketIoPayloadReader.ReadConnectToken(data, out var token) is not null;
        var refusal = _endpoint.Authenticate(_request, token, malformed, out var identity, out var tenant, out var lease);
        if (refusal is not null)
        {
            _endpoint.Counters.ConnectErrors.Increment();
            _payload.ResetWrittenCount();
            SocketIoMessageWriter.WriteConnectError(_payload, "/market-data"u8, refusal.Message, refusal.Code);
            Send(flush: true);
            return;
        }

        var channel = _context!.Channel;
        // The quota slot is the namespace session's: released when it ends, so rejoining on one connection takes one slot.
        _lease = lease;
        _identity = identity!;
        _commands = new MarketDataCommands(_services, channel, ClientEncoding.SocketIo, tenant!, _endpoint.TenantMetrics.For(tenant!.Name));
        _endpoint.Counters.Connects.Increment();
        _generation++;

        _payload.ResetWrittenCount();
        var sid = NewId();
        SocketIoMessageWriter.WriteConnect(_payload, sid);
        Send(flush: false);
        _payload.ResetWrittenCount();
        SocketIoMessageWriter.WriteConnected(_payload, sid, UnixMillis(), _services.Options.HeartbeatIntervalSeconds * 1000);
        Send(flush: true);
        _context.Executor.Schedule(HeartbeatTick, new GenerationTick(this, _generation), HeartbeatPhase.FirstDelay(TimeSpan.FromSeconds(_services.Options.HeartbeatIntervalSeconds)));
        ScheduleExpiryCheck();
    }

    private void OnEvent(ReadOnlySpan<byte> data, long ackId)
    {
        var verdict = _commands!.TakeCommand();
        if (verdict == CommandRateVerdict.Flooding)
        {
            Close(WebSocketCloseCode.PolicyViolation, MarketDataCommands.FloodingReason);
            return;
        }

        if (verdict == CommandRateVerdict.Over)
        {
            Refuse(ackId, ErrorCode.RateLimited, SocketIoMessageWriter.RateLimitExceeded);
            return;
        }

        var error = SocketIoPayloadReader.ReadEvent(data, _services.CommandLimits.MaxSymbolsPerRequest, out var command);
        if (error is not null)
        {
            _services.Counters.InvalidCommands.Increment();
            Refuse(ackId, ErrorCode.InvalidMessage, error);
            return;
        }

        switch (command!.Name)
        {
            case "subscribe":
                _services.Counters.Commands(ClientCommandType.Subscribe).Increment();
                Subscribe(command, ackId);
                return;
            case "unsubscribe":
                _services.Counters.Commands(ClientCommandType.Unsubscribe).Increment();
                Unsubscribe(command, ackId);
                return;
            default:
                _services.Counters.InvalidCommands.Increment();
                Refuse(ackId, ErrorCode.UnknownType, "unknown event: subscribe and unsubscribe are the events Edge answers");
                return;
        }
    }

    private void Subscribe(SocketIoEvent command, long ackId)
    {
        _commands!.Subscribe(command.Symbols, command.SymbolErrors, command.MaxRate, out var subscribed, out var errors, out var snapshot);
        if (ackId >= 0)
        {
            _payload.ResetWrittenCount();
            SocketIoMessageWriter.WriteSubscribeAck(_payload, ackId, subscribed, errors);
            Send(flush: subscribed.Count == 0);
        }

        if (subscribed.Count > 0)
        {
            // As on the WebSocket protocol: the snapshot follows the ack, before any later price of these symbols.
            _payload.ResetWrittenCount();
            SocketIoMessageWriter.WriteSnapshot(_payload, snapshot);
            Send(flush: true);
        }
    }

    private void Unsubscribe(SocketIoEvent command, long ackId)
    {
        var unsubscribed = _commands!.Unsubscribe(command.Symbols);
        if (ackId >= 0)
        {
            _payload.ResetWrittenCount();
            SocketIoMessageWriter.WriteUnsubscribeAck(_payload, ackId, unsubscribed);
            Send(flush: true);
        }
    }

    /// <summary>A refused command: through its ack when it asked for one (the original's <c>{ error }</c>), else an <c>error</c> event.</summary>
    private void Refuse(long ackId, ErrorCode code, string message)
    {
        _payload.ResetWrittenCount();
        if (ackId >= 0)
        {
            SocketIoMessageWriter.WriteErrorAck(_payload, ackId, message);
        }
        else
        {
            SocketIoMessageWriter.WriteError(_payload, code, message);
        }

        Send(flush: true);
    }

    private void OnPing()
    {
        if (_closing || _context is null || !_context.Channel.Active)
        {
            return;
        }

        _pingSentAt = Stopwatch.GetTimestamp();
        _payload.ResetWrittenCount();
        _payload.Write("2"u8);
        Send(flush: true);
        var options = _endpoint.Options;
        _context.Executor.Schedule(PongCheckTick, this, TimeSpan.FromMilliseconds(options.PingTimeoutMilliseconds));
        _context.Executor.Schedule(PingTick, this, TimeSpan.FromMilliseconds(options.PingIntervalMilliseconds));
    }

    private void OnPongCheck()
    {
        if (_closing || _context is null || !_context.Channel.Active || _lastHeard >= _pingSentAt)
        {
            return;
        }

        // Engine.IO: no pong within pingTimeout of the ping means the peer is gone.
        _endpoint.Counters.PingTimeouts.Increment();
        _services.Counters.IdleCloses.Increment();
        Close(WebSocketCloseCode.GoingAway, "ping timeout");
    }

    private void OnConnectTimeout()
    {
        if (!_closing && _commands is null && _context is not null && _context.Channel.Active)
        {
            Close(WebSocketCloseCode.PolicyViolation, "no CONNECT to /market-data in time");
        }
    }

    private void OnHeartbeat(int generation)
    {
        if (_closing || !Joined || generation != _generation || _context is null || !_context.Channel.Active)
        {
            return;
        }

        _payload.ResetWrittenCount();
        SocketIoMessageWriter.WriteHeartbeat(_payload, UnixMillis());
        Send(flush: true);
        _context.Executor.Schedule(HeartbeatTick, new GenerationTick(this, generation), TimeSpan.FromSeconds(_services.Options.HeartbeatIntervalSeconds));
    }

    private void ScheduleExpiryCheck()
    {
        var delay = MarketDataCommands.ExpiryCheckDelay(_services.Validator.TimeLeft(_identity!));
        _expiryCheck = _context!.Executor.Schedule(ExpiryTick, this, delay);
    }

    private void OnExpiryCheck()
    {
        if (_closing || !Joined || _context is null || !_context.Channel.Active)
        {
            return;
        }

        if (_services.Validator.TimeLeft(_identity!) >= TimeSpan.Zero)
        {
            ScheduleExpiryCheck();
            return;
        }

        // The original told the client why (an error event) and then disconnected it: socket.io-client does not
        // reconnect after a server DISCONNECT, which is right for a token that needs renewing first.
        _services.Counters.TokenExpiredCloses.Increment();
        _payload.ResetWrittenCount();
        SocketIoMessageWriter.WriteError(_payload, ErrorCode.TokenExpired, "token expired: reconnect with a fresh token");
        Send(flush: false);
        _payload.ResetWrittenCount();
        SocketIoMessageWriter.WriteDisconnect(_payload);
        Send(flush: true);
        Close(WebSocketCloseCode.TokenExpired, "token expired: reconnect with a fresh token");
    }

    private void Send(bool flush) => PooledMessageFrames.Send(_context!, WebSocketOpcode.Text, _payload.WrittenSpan, flush);

    private void ProtocolError(ushort code, string reason)
    {
        _endpoint.Counters.ProtocolErrors.Increment();
        Close(code, reason);
    }

    private void Close(ushort code, string reason)
    {
        if (_closing || _context is null)
        {
            return;
        }

        _closing = true;
        Leave();
        WebSocketCloser.CloseAsync(_context.Channel, code, reason);
    }

    /// <summary>Leaves the namespace: every subscription released at once, the session's counts undone.</summary>
    private void Leave()
    {
        var commands = _commands;
        if (commands is null)
        {
            return;
        }

        _commands = null;
        _expiryCheck?.Cancel();
        _generation++;
        commands.End();
        var lease = _lease;
        _lease = null;
        lease?.Dispose();
    }

    private void Uncount()
    {
        if (_counted)
        {
            _counted = false;
            _endpoint.Counters.Connections.Decrement();
        }
    }

    /// <summary>A random id like engine.io's: 15 random bytes, base64url (20 characters).</summary>
    private static string NewId()
    {
        Span<byte> bytes = stackalloc byte[15];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
    }

    private static long UnixMillis() => (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerMillisecond;

    /// <summary>A heartbeat timer of one namespace join: a rejoin starts new timers, so the old ones stop.</summary>
    private sealed class GenerationTick
    {
        public GenerationTick(SocketIoSession session, int generation)
        {
            Session = session;
            Generation = generation;
        }

        public SocketIoSession Session { get; }

        public int Generation { get; }
    }
}
