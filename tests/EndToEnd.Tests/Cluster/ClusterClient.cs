using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Edge.Protocol;
using Edge.Protocol.Client;

namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// A market-data client of the cluster: a raw WebSocket (ClientWebSocket and the protocol's own decoder, not the
/// SDK, whose sequence filter would hide an out-of-order price) that connects through HAProxy from its own loopback
/// address in the namespace, subscribes every symbol, and when its connection ends — a close code or a dropped
/// TCP connection — reconnects through HAProxy and subscribes again, as the SDKs do.
/// </summary>
/// <remarks>
/// Every price it gets is checked as it arrives: it must be the publisher's price for its sequence; on one
/// connection a symbol's sequences must increase (snapshot, then prices); and a new connection must not start a
/// symbol below the last sequence the previous one delivered (the snapshot after a reconnection may repeat it).
/// A failed check is kept in <see cref="Violations"/>.
/// </remarks>
internal sealed class ClusterClient : IClusterClient
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private readonly NetworkNamespace _namespace;
    private readonly IPAddress _source;
    private readonly Uri _url;
    private readonly string _token;
    private readonly IReadOnlyList<string> _symbols;
    private readonly Dictionary<string, int> _symbolIndex = [];
    private readonly HttpMessageInvoker _invoker;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _lock = new();

    // Guarded by _lock.
    private readonly Dictionary<string, ulong> _latest = [];
    private readonly Dictionary<string, ulong> _onConnection = [];
    private readonly List<string> _violations = [];
    private readonly List<string> _ends = [];
    private IPEndPoint? _localEndPoint;
    private int _connections;
    private bool _subscribed;
    private int _snapshotPrices;
    private long _prices;
    private Task? _loop;

    public ClusterClient(int number, NetworkNamespace networkNamespace, IPAddress source, IPEndPoint balancer, string token, IReadOnlyList<string> symbols)
    {
        Name = "client" + number.ToString(CultureInfo.InvariantCulture);
        _namespace = networkNamespace;
        _source = source;
        _url = new Uri($"ws://{balancer}/market-data");
        _token = token;
        _symbols = symbols;
        for (var i = 0; i < symbols.Count; i++)
        {
            _symbolIndex[symbols[i]] = i;
        }

        _invoker = new HttpMessageInvoker(new SocketsHttpHandler { ConnectCallback = ConnectAsync });
    }

    public string Name { get; }

    /// <summary>Connections that got as far as <c>connected</c>.</summary>
    public int Connections
    {
        get
        {
            lock (_lock)
            {
                return _connections;
            }
        }
    }

    /// <summary>The current connection's address (<c>ip:port</c>, as HAProxy's <c>show sess</c> names it), or null.</summary>
    public string? Address
    {
        get
        {
            lock (_lock)
            {
                return _localEndPoint?.ToString();
            }
        }
    }

    /// <summary>The current connection's subscription is acknowledged and its snapshot has arrived.</summary>
    public bool Subscribed
    {
        get
        {
            lock (_lock)
            {
                return _subscribed && _snapshotPrices > 0;
            }
        }
    }

    /// <summary>Prices received so far, snapshot entries included, over every connection.</summary>
    public long Prices
    {
        get
        {
            lock (_lock)
            {
                return _prices;
            }
        }
    }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (_lock)
            {
                return [.. _violations];
            }
        }
    }

    /// <summary>How each ended connection ended (close code and reason, or the error).</summary>
    public IReadOnlyList<string> Ends
    {
        get
        {
            lock (_lock)
            {
                return [.. _ends];
            }
        }
    }

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Its current connection has delivered exactly <paramref name="last"/> for every symbol.</summary>
    public bool IsAt(IReadOnlyDictionary<string, ulong> last)
    {
        lock (_lock)
        {
            if (!_subscribed)
            {
                return false;
            }

            foreach (var (symbol, sequence) in last)
            {
                if (!_onConnection.TryGetValue(symbol, out var delivered) || delivered != sequence)
                {
                    return false;
                }
            }

            return true;
        }
    }

    public string Describe()
    {
        lock (_lock)
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture,
                $"{Name} from {_localEndPoint?.ToString() ?? "(not connected)"}: {_connections} connections, subscribed={_subscribed}, snapshot entries {_snapshotPrices}, {_prices} prices; on this connection:");
            foreach (var symbol in _symbols)
            {
                text.Append(CultureInfo.InvariantCulture, $" {symbol}={(_onConnection.TryGetValue(symbol, out var s) ? s : 0)}");
            }

            if (_ends.Count > 0)
            {
                text.Append("; ends: ").AppendJoin(" | ", _ends);
            }

            if (_violations.Count > 0)
            {
                text.Append("; VIOLATIONS: ").AppendJoin(" | ", _violations.Take(5));
            }

            return text.ToString();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop.WaitAsync(TimeSpan.FromSeconds(10));
            }
            catch (TimeoutException)
            {
                // Its socket is disposed below with the invoker; nothing else to wait for.
            }
        }

        _invoker.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var end = await RunConnectionAsync(_stop.Token);
                lock (_lock)
                {
                    _ends.Add(end);
                }
            }
            catch (Exception e) when (!_stop.IsCancellationRequested)
            {
                lock (_lock)
                {
                    _ends.Add(e.GetType().Name + ": " + e.Message);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            lock (_lock)
            {
                _localEndPoint = null;
                _subscribed = false;
                _snapshotPrices = 0;
                _onConnection.Clear();
            }

            try
            {
                // A reconnection delay with jitter, as the SDKs' backoff starts.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 300)), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One connection, from the handshake to its end; returns how it ended.</summary>
    private async Task<string> RunConnectionAsync(CancellationToken stop)
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(ClientSubprotocol.MessagePack);
        socket.Options.SetRequestHeader("Authorization", "Bearer " + _token);
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            connecting.CancelAfter(ConnectTimeout);
            await socket.ConnectAsync(_url, _invoker, connecting.Token);
        }

        var buffer = new byte[256 * 1024];
        var first = true;
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), stop);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                // Answer the close (a draining Edge waits for it), then reconnect.
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, stop);
                return string.Create(CultureInfo.InvariantCulture, $"closed {(int?)socket.CloseStatus} {socket.CloseStatusDescription}");
            }

            if (!ServerMessageDecoder.TryDecode(ClientEncoding.MessagePack, buffer.AsMemory(0, length).ToArray(), out var message))
            {
                Violate("an undecodable server message");
                continue;
            }

            if (first)
            {
                first = false;
                if (message.Type != ServerMessageType.Connected)
                {
                    Violate($"first message {message.Type}, not connected");
                }

                lock (_lock)
                {
                    _connections++;
                }

                var subscribe = new ArrayBufferWriter<byte>();
                ClientMessageWriter.WriteSubscribe(subscribe, ClientEncoding.MessagePack, 1, [.. _symbols]);
                await socket.SendAsync(subscribe.WrittenMemory, WebSocketMessageType.Binary, true, stop);
                continue;
            }

            switch (message.Type)
            {
                case ServerMessageType.Ack:
                    if (message.Errors is { Count: > 0 } errors)
                    {
                        Violate("subscription refused: " + string.Join(", ", errors.Select(e => $"{e.Symbol} {e.Code}")));
                    }

                    lock (_lock)
                    {
                        _subscribed = true;
                    }

                    break;
                case ServerMessageType.Snapshot:
                    foreach (var price in message.Prices!)
                    {
                        Check(price, fromSnapshot: true);
                    }

                    break;
                case ServerMessageType.Price:
                    Check(message.Price!, fromSnapshot: false);
                    break;
                case ServerMessageType.Error:
                    Violate($"error {message.Code}: {message.Message}");
                    break;
                default:
                    // heartbeat, status (feed up/down), notice, pong.
                    break;
            }
        }
    }

    private void Check(BestPrice price, bool fromSnapshot)
    {
        lock (_lock)
        {
            _prices++;
            if (fromSnapshot)
            {
                _snapshotPrices++;
            }

            if (!_symbolIndex.TryGetValue(price.Symbol, out var index))
            {
                _violations.Add("a price for an unsubscribed symbol " + price.Symbol);
                return;
            }

            var where = fromSnapshot ? "snapshot" : "price";
            if (price.Bid.Price != ClusterPrice.Bid(index, price.Sequence) || price.Ask.Price != ClusterPrice.Ask(index, price.Sequence))
            {
                _violations.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{where} {price.Symbol} #{price.Sequence} is {price.Bid.Price}/{price.Ask.Price}, not the publisher's price for that sequence"));
            }

            if (_onConnection.TryGetValue(price.Symbol, out var previous))
            {
                if (price.Sequence <= previous)
                {
                    _violations.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{where} {price.Symbol} #{price.Sequence} after #{previous} on connection {_connections}"));
                }
            }
            else if (_latest.TryGetValue(price.Symbol, out var before) && price.Sequence < before)
            {
                _violations.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{where} {price.Symbol} #{price.Sequence} starts connection {_connections} below #{before}, the last the previous connection delivered"));
            }

            _onConnection[price.Symbol] = price.Sequence;
            _latest[price.Symbol] = price.Sequence;
        }
    }

    private void Violate(string violation)
    {
        lock (_lock)
        {
            _violations.Add(violation);
        }
    }

    /// <summary>The connection's TCP socket: made in the namespace, bound to this client's own address.</summary>
    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = _namespace.Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.NoDelay = true;
            socket.Bind(new IPEndPoint(_source, 0));
            await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken);
            lock (_lock)
            {
                _localEndPoint = (IPEndPoint)socket.LocalEndPoint!;
            }

            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
