using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using Edge.Protocol;
using Edge.Protocol.Client;
using Edge.Protocol.WebSockets;

namespace Edge.Client;

/// <summary>
/// A client of Edge's market-data WebSocket (client protocol v1, docs/protocol.md). One receive loop per
/// connection decodes every message; commands are correlated with their acks by request id. Reconnects with
/// jittered exponential backoff (and resubscribes everything) after 1001, 1006, 1011, 4001 (with a fresh token),
/// 4008 or a heartbeat timeout; never after 4002, 4003, 1008 or a normal closure (those raise <see cref="Error"/>).
/// Refreshes the token through <see cref="MarketDataClientOptions.GetToken"/> before it expires. Thread-safe.
/// </summary>
public sealed class MarketDataClient : IAsyncDisposable
{
    private const int MaxMessageBytes = 16 * 1024 * 1024;
    private readonly MarketDataClientOptions _options;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SymbolFeed> _feeds = new(StringComparer.Ordinal);
    /// <summary>The symbols to (re)subscribe, each with its requested maxRate (null: as fast as the server sends).</summary>
    private readonly Dictionary<string, int?> _subscribed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, TaskCompletionSource<ServerMessage>> _pending = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _disposed = new();
    private Connection? _connection;
    private Task? _supervisor;
    private long _nextId;
    private long _heartbeats;
    private int _disposeStarted;
    private volatile bool _isConnected;

    public MarketDataClient(MarketDataClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
    }

    /// <summary>Raised on every (re)connection, once the server's <c>connected</c> message arrived.</summary>
    public event EventHandler? Connected;

    public event EventHandler<DisconnectedEventArgs>? Disconnected;

    /// <summary>The upstream feed went up or down (status up / down).</summary>
    public event EventHandler<FeedStatusEventArgs>? FeedStatusChanged;

    public event EventHandler<ClientErrorEventArgs>? Error;

    public bool IsConnected => _isConnected;

    public ClientEncoding Encoding => _options.Encoding;

    /// <summary>The server's id for the current connection.</summary>
    public string? ClientId => _connection?.ClientId;

    /// <summary>The limits the server announced on the current connection.</summary>
    public ConnectionLimits? Limits => _connection?.Limits;

    /// <summary>Heartbeats received over the client's lifetime (diagnostics).</summary>
    internal long HeartbeatsReceived => Interlocked.Read(ref _heartbeats);

    /// <summary>Connects and waits for the server's <c>connected</c> message. Throws if that first connection fails.</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        if (_supervisor is not null)
        {
            throw new InvalidOperationException("ConnectAsync was already called.");
        }

        var connection = await ConnectOnceAsync(cancellationToken).ConfigureAwait(false);
        Install(connection);
        _supervisor = SuperviseAsync(connection);
    }

    /// <summary>
    /// Subscribes to <paramref name="symbols"/> and returns the ack. Symbols are remembered and resubscribed after a
    /// reconnection; refused ones are forgotten. Throws <see cref="MarketDataException"/> on an <c>error</c> reply,
    /// a timeout or a lost connection.
    /// </summary>
    public Task<SubscribeAck> SubscribeAsync(IReadOnlyList<string> symbols, CancellationToken cancellationToken = default) =>
        SubscribeAsync(symbols, maxRate: null, cancellationToken);

    /// <summary>
    /// Subscribes to <paramref name="symbols"/> at most <paramref name="maxRate"/> updates per second per symbol (the
    /// protocol's <c>maxRate</c>: the server conflates, latest wins, and the final price always arrives; it may
    /// lower the rate to the tenant's cap). Null: as fast as the server sends. Subscribing a symbol again replaces
    /// its rate. The rate is remembered with the symbol and sent again on resubscription after a reconnect.
    /// </summary>
    public async Task<SubscribeAck> SubscribeAsync(IReadOnlyList<string> symbols, int? maxRate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        if (maxRate is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRate), maxRate, "maxRate must be at least 1 update per second (or null: no limit)");
        }

        lock (_lock)
        {
            foreach (var symbol in symbols)
            {
                _subscribed[symbol] = maxRate;
                FeedFor(symbol);
            }
        }

        var ack = await RequestAsync((w, id) => ClientMessageWriter.WriteSubscribe(w, _options.Encoding, id, symbols.ToArray(), maxRate), cancellationToken).ConfigureAwait(false);
        var errors = ack.Errors ?? [];
        lock (_lock)
        {
            foreach (var error in errors)
            {
                _subscribed.Remove(error.Symbol);
            }
        }

        return new SubscribeAck(ack.Symbols ?? [], errors);
    }

    /// <summary>Unsubscribes; the symbols' <see cref="PriceSubscription"/>s end and their callbacks are removed. Returns the symbols unsubscribed.</summary>
    public async Task<IReadOnlyList<string>> UnsubscribeAsync(IReadOnlyList<string> symbols, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        var feeds = new List<SymbolFeed>();
        lock (_lock)
        {
            foreach (var symbol in symbols)
            {
                _subscribed.Remove(symbol);
                if (_feeds.Remove(symbol, out var feed))
                {
                    feeds.Add(feed);
                }
            }
        }

        foreach (var feed in feeds)
        {
            feed.Complete();
        }

        var ack = await RequestAsync((w, id) => ClientMessageWriter.WriteUnsubscribe(w, _options.Encoding, id, symbols.ToArray()), cancellationToken).ConfigureAwait(false);
        return ack.Symbols ?? [];
    }

    /// <summary>A reader of <paramref name="symbol"/>'s prices, registered now (create it before subscribing to get the snapshot).</summary>
    public PriceSubscription Prices(string symbol)
    {
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        lock (_lock)
        {
            return new PriceSubscription(FeedFor(symbol), _options.PriceBufferCapacity);
        }
    }

    /// <summary>Calls <paramref name="callback"/> on the receive loop for each of <paramref name="symbol"/>'s prices; dispose the result (or call <see cref="RemovePriceCallback"/>) to stop.</summary>
    public IDisposable OnPrice(string symbol, Action<BestPrice> callback)
    {
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        ArgumentNullException.ThrowIfNull(callback);
        lock (_lock)
        {
            FeedFor(symbol).Add(callback);
        }

        return new CallbackRegistration(this, symbol, callback);
    }

    public bool RemovePriceCallback(string symbol, Action<BestPrice> callback)
    {
        lock (_lock)
        {
            return _feeds.TryGetValue(symbol, out var feed) && feed.Remove(callback);
        }
    }

    /// <summary>Sends a ping and waits for the pong; returns the server time (ns since the epoch).</summary>
    public async Task<long> PingAsync(CancellationToken cancellationToken = default)
    {
        var pong = await RequestAsync((w, id) => ClientMessageWriter.WritePing(w, _options.Encoding, id), cancellationToken).ConfigureAwait(false);
        return pong.Time ?? 0;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposeStarted, 1) != 0)
        {
            return;
        }

        _disposed.Cancel();
        var connection = _connection;
        if (connection is not null && connection.Socket.State == WebSocketState.Open)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client closing", timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Already gone: the abort below ends the loop.
            }
        }

        if (_supervisor is not null)
        {
            try
            {
                await _supervisor.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                connection?.Socket.Abort();
                await _supervisor.ConfigureAwait(false);
            }
        }

        connection?.Dispose();
        FailPending(new MarketDataException("the client was disposed"));
        SymbolFeed[] feeds;
        lock (_lock)
        {
            feeds = [.. _feeds.Values];
            _feeds.Clear();
        }

        foreach (var feed in feeds)
        {
            feed.Complete();
        }

        _sendLock.Dispose();
        _disposed.Dispose();
    }

    internal void RaiseError(string code, string message, int? closeCode = null, Exception? exception = null) =>
        Raise(Error, new ClientErrorEventArgs(code, message, closeCode, exception));

    private SymbolFeed FeedFor(string symbol)
    {
        if (!_feeds.TryGetValue(symbol, out var feed))
        {
            feed = new SymbolFeed(symbol);
            _feeds.Add(symbol, feed);
        }

        return feed;
    }

    private void Raise<T>(EventHandler<T>? handler, T args)
    {
        try
        {
            handler?.Invoke(this, args);
        }
        catch (Exception)
        {
            // A throwing handler must not kill the receive loop.
        }
    }

    // ---- Commands

    private async Task<ServerMessage> RequestAsync(Action<IBufferWriter<byte>, long> write, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<ServerMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        try
        {
            var buffer = new ArrayBufferWriter<byte>(256);
            write(buffer, id);
            await SendAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
            ServerMessage answer;
            try
            {
                answer = await reply.Task.WaitAsync(_options.RequestTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                throw new MarketDataException($"no answer to request {id} within {_options.RequestTimeout}", e);
            }

            if (answer.Type == ServerMessageType.Error)
            {
                throw new MarketDataException(answer.Code ?? "ERROR", answer.Message ?? string.Empty);
            }

            return answer;
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    private async Task SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var connection = _connection;
        if (connection is null || !_isConnected)
        {
            throw new MarketDataException("not connected");
        }

        var type = _options.Encoding == ClientEncoding.Json ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await connection.Socket.SendAsync(payload, type, true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException)
        {
            throw new MarketDataException("the connection was lost while sending", e);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void FailPending(Exception reason)
    {
        foreach (var pair in _pending)
        {
            if (_pending.TryRemove(pair.Key, out var reply))
            {
                reply.TrySetException(reason);
            }
        }
    }

    // ---- Connections

    private async Task<Connection> ConnectOnceAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposed.Token);
        linked.CancelAfter(_options.ConnectTimeout);
        var token = _options.GetToken is { } getToken ? await getToken(linked.Token).ConfigureAwait(false) : _options.Token!;
        var socket = new ClientWebSocket();
        var connection = new Connection(socket, token, _options.Encoding);
        try
        {
            socket.Options.AddSubProtocol(ClientSubprotocol.TokenOf(_options.Encoding));
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            if (_options.HttpInvoker is { } invoker)
            {
                await socket.ConnectAsync(_options.Url!, invoker, linked.Token).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(_options.Url!, linked.Token).ConfigureAwait(false);
            }

            var first = await ReceiveMessageAsync(connection, linked.Token).ConfigureAwait(false);
            if (first is not { Type: ServerMessageType.Connected })
            {
                throw new MarketDataException($"expected 'connected' as the first message (close {(int?)socket.CloseStatus} {socket.CloseStatusDescription})");
            }

            connection.ClientId = first.ClientId;
            connection.Limits = first.Limits;
            connection.HeartbeatIntervalMs = first.HeartbeatInterval ?? 0;
            connection.LastReceived = Environment.TickCount64;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private void Install(Connection connection)
    {
        _connection = connection;
        _isConnected = true;
        try
        {
            Connected?.Invoke(this, EventArgs.Empty);
        }
        catch (Exception)
        {
            // A throwing handler must not break the connection.
        }
    }

    private async Task SuperviseAsync(Connection connection)
    {
        var resubscribe = false;
        while (true)
        {
            var (code, reason) = await RunConnectionAsync(connection, resubscribe).ConfigureAwait(false);
            _isConnected = false;
            FailPending(new MarketDataException($"the connection closed ({code} {reason})"));
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            var advice = WebSocketCloseCode.AdviceFor(code);
            var canReconnect = advice == ReconnectAdvice.Reconnect
                || (advice == ReconnectAdvice.RefreshTokenThenReconnect && _options.GetToken is not null);
            var willReconnect = canReconnect && _options.Reconnect;
            Raise(Disconnected, new DisconnectedEventArgs(code, reason, willReconnect));
            if (!canReconnect)
            {
                RaiseError("CLOSED", $"the server closed the connection with {code} ({reason}); not reconnecting", code);
            }

            if (!willReconnect)
            {
                return;
            }

            var next = await ReconnectAsync().ConfigureAwait(false);
            connection.Dispose();
            if (next is null)
            {
                return;
            }

            connection = next;
            resubscribe = true;
        }
    }

    private async Task<Connection?> ReconnectAsync()
    {
        Exception? last = null;
        for (var attempt = 0; _options.MaxReconnectAttempts == 0 || attempt < _options.MaxReconnectAttempts; attempt++)
        {
            try
            {
                await Task.Delay(ReconnectBackoff.Delay(attempt, _options.ReconnectBaseDelay, _options.MaxReconnectDelay), _disposed.Token).ConfigureAwait(false);
                var connection = await ConnectOnceAsync(_disposed.Token).ConfigureAwait(false);
                Install(connection);
                return connection;
            }
            catch (OperationCanceledException) when (_disposed.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e)
            {
                last = e;
            }
        }

        RaiseError("RECONNECT_FAILED", $"gave up after {_options.MaxReconnectAttempts} reconnection attempts: {last?.Message}", exception: last);
        return null;
    }

    /// <summary>Runs one connection until it ends: the receive loop, the heartbeat watchdog, the token refresh; returns the close code and reason.</summary>
    private async Task<(int Code, string Reason)> RunConnectionAsync(Connection connection, bool resubscribe)
    {
        var stop = connection.Stop.Token;
        var watchdog = connection.HeartbeatIntervalMs > 0 ? WatchHeartbeatsAsync(connection, stop) : Task.CompletedTask;
        var refresh = _options.GetToken is not null ? RefreshTokenAsync(connection, stop) : Task.CompletedTask;
        var loop = ReceiveLoopAsync(connection);
        if (resubscribe)
        {
            _ = ResubscribeAsync();
        }

        var result = await loop.ConfigureAwait(false);
        await connection.Stop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(watchdog, refresh).ConfigureAwait(false);
        return result;
    }

    private async Task<(int Code, string Reason)> ReceiveLoopAsync(Connection connection)
    {
        var socket = connection.Socket;
        try
        {
            while (true)
            {
                var message = await ReceiveMessageAsync(connection, connection.Stop.Token).ConfigureAwait(false);
                if (message is null)
                {
                    break;
                }

                Dispatch(message);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A dropped or aborted connection: reported as 1006 below.
        }

        if (connection.HeartbeatTimedOut)
        {
            return (WebSocketCloseCode.AbnormalClosure, "heartbeat timeout");
        }

        if (socket.CloseStatus is { } status)
        {
            if (socket.State == WebSocketState.CloseReceived)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await socket.CloseOutputAsync(status, null, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // The server may already be gone.
                }
            }

            return ((int)status, socket.CloseStatusDescription ?? string.Empty);
        }

        return (WebSocketCloseCode.AbnormalClosure, "connection dropped");
    }

    /// <summary>The next decodable message, or null when the server closed. Undecodable messages are skipped (a newer server's types).</summary>
    private static async Task<ServerMessage?> ReceiveMessageAsync(Connection connection, CancellationToken cancellationToken)
    {
        while (true)
        {
            var length = 0;
            while (true)
            {
                if (length == connection.Buffer.Length)
                {
                    if (length >= MaxMessageBytes)
                    {
                        throw new WebSocketException("a server message is larger than " + MaxMessageBytes + " bytes");
                    }

                    Array.Resize(ref connection.Buffer, length * 2);
                }

                var result = await connection.Socket.ReceiveAsync(connection.Buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                length += result.Count;
                if (result.EndOfMessage)
                {
                    break;
                }
            }

            connection.LastReceived = Environment.TickCount64;
            if (ServerMessageDecoder.TryDecode(connection.Encoding, connection.Buffer.AsMemory(0, length), out var message))
            {
                return message;
            }
        }
    }

    private void Dispatch(ServerMessage message)
    {
        switch (message.Type)
        {
            case ServerMessageType.Price:
                Deliver(message.Price!);
                break;
            case ServerMessageType.Snapshot:
                foreach (var price in message.Prices!)
                {
                    Deliver(price);
                }

                break;
            case ServerMessageType.Ack:
            case ServerMessageType.Pong:
                Complete(message);
                break;
            case ServerMessageType.Error:
                if (message.Id is null || !Complete(message))
                {
                    RaiseError(message.Code ?? "ERROR", message.Message ?? string.Empty);
                }

                break;
            case ServerMessageType.Heartbeat:
                Interlocked.Increment(ref _heartbeats);
                break;
            case ServerMessageType.Status:
                Raise(FeedStatusChanged, new FeedStatusEventArgs(message.Feed ?? FeedState.Down, message.Reason ?? string.Empty));
                break;
            default:
                break;
        }
    }

    private bool Complete(ServerMessage message) =>
        message.Id is { } id && _pending.TryRemove(id, out var reply) && reply.TrySetResult(message);

    private void Deliver(BestPrice price)
    {
        SymbolFeed? feed;
        lock (_lock)
        {
            _feeds.TryGetValue(price.Symbol, out feed);
        }

        feed?.TryDeliver(price, e => RaiseError("CALLBACK_FAILED", $"a price callback for {price.Symbol} threw: {e.Message}", exception: e));
    }

    private async Task ResubscribeAsync()
    {
        // One request per distinct maxRate (and per maxSymbolsPerRequest symbols), so every symbol keeps its rate.
        var byRate = new Dictionary<int, List<string>>();
        lock (_lock)
        {
            foreach (var (symbol, rate) in _subscribed)
            {
                var key = rate ?? 0;
                if (!byRate.TryGetValue(key, out var list))
                {
                    byRate.Add(key, list = []);
                }

                list.Add(symbol);
            }
        }

        var chunk = Math.Max(1, _connection?.Limits?.MaxSymbolsPerRequest ?? 100);
        foreach (var (key, list) in byRate)
        {
            int? maxRate = key == 0 ? null : key;
            if (!await ResubscribeAsync([.. list], maxRate, chunk).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>Subscribes <paramref name="symbols"/> again in chunks; false when the connection went away meanwhile.</summary>
    private async Task<bool> ResubscribeAsync(string[] symbols, int? maxRate, int chunk)
    {
        for (var start = 0; start < symbols.Length; start += chunk)
        {
            var part = symbols[start..Math.Min(symbols.Length, start + chunk)];
            try
            {
                var ack = await RequestAsync((w, id) => ClientMessageWriter.WriteSubscribe(w, _options.Encoding, id, part, maxRate), _disposed.Token).ConfigureAwait(false);
                foreach (var error in ack.Errors ?? [])
                {
                    RaiseError("RESUBSCRIBE_FAILED", $"{error.Symbol}: {error.Code} {error.Message}");
                }
            }
            catch (Exception e) when (e is MarketDataException or OperationCanceledException or ObjectDisposedException)
            {
                RaiseError("RESUBSCRIBE_FAILED", $"resubscribing {part.Length} symbols failed: {e.Message}", exception: e);
                return false;
            }
        }

        return true;
    }

    private async Task WatchHeartbeatsAsync(Connection connection, CancellationToken stop)
    {
        var limit = (long)(connection.HeartbeatIntervalMs * _options.HeartbeatTimeoutFactor);
        var check = TimeSpan.FromMilliseconds(Math.Max(20, connection.HeartbeatIntervalMs / 4));
        try
        {
            while (true)
            {
                await Task.Delay(check, stop).ConfigureAwait(false);
                if (Environment.TickCount64 - connection.LastReceived > limit)
                {
                    connection.HeartbeatTimedOut = true;
                    RaiseError("HEARTBEAT_TIMEOUT", $"nothing received for {limit} ms ({_options.HeartbeatTimeoutFactor} heartbeat intervals); reconnecting");
                    connection.Socket.Abort();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The connection ended.
        }
    }

    private async Task RefreshTokenAsync(Connection connection, CancellationToken stop)
    {
        var current = connection.Token;
        try
        {
            while (JwtExpiry.Read(current) is { } expiry)
            {
                var left = expiry - DateTimeOffset.UtcNow;
                var lead = TimeSpan.FromTicks(Math.Min(_options.TokenRefreshLead.Ticks, left.Ticks / 4));
                var wait = left - lead;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, stop).ConfigureAwait(false);
                }

                var fresh = await _options.GetToken!(stop).ConfigureAwait(false);
                if (JwtExpiry.Read(fresh) is not { } next || next <= expiry)
                {
                    RaiseError("TOKEN_REFRESH_FAILED", "GetToken returned a token that does not expire later than the current one");
                    return;
                }

                var buffer = new ArrayBufferWriter<byte>(512);
                ClientMessageWriter.WriteAuth(buffer, _options.Encoding, fresh);
                await SendAsync(buffer.WrittenMemory, stop).ConfigureAwait(false);
                current = fresh;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The connection ended.
        }
        catch (Exception e)
        {
            RaiseError("TOKEN_REFRESH_FAILED", "refreshing the token failed: " + e.Message, exception: e);
        }
    }
}
