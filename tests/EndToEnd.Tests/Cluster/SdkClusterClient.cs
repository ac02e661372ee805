using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Edge.Client;
using Edge.Protocol;

namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// A cluster client on the .NET SDK (<see cref="MarketDataClient"/>): its own reconnection (backoff, then every
/// symbol resubscribed) carries it from a killed or draining Edge to another through HAProxy. Its connections are
/// made in the namespace from its own address (<see cref="MarketDataClientOptions.HttpInvoker"/>). The SDK drops a
/// price not newer than the last it delivered, so order is checked on the wire by <see cref="ClusterClient"/>;
/// here every delivered price must be the publisher's, and every SDK error counts as a violation.
/// </summary>
internal sealed class SdkClusterClient : IClusterClient
{
    private readonly NetworkNamespace _namespace;
    private readonly IPAddress _source;
    private readonly IReadOnlyList<string> _symbols;
    private readonly Dictionary<string, int> _symbolIndex = [];
    private readonly HttpMessageInvoker _invoker;
    private readonly MarketDataClient _client;
    private readonly Lock _lock = new();

    // Guarded by _lock.
    private readonly Dictionary<string, ulong> _latest = [];
    private readonly List<string> _violations = [];
    private readonly List<string> _ends = [];
    private IPEndPoint? _localEndPoint;
    private int _connections;
    private long _prices;
    private bool _subscribed;
    private Task? _start;

    public SdkClusterClient(int number, NetworkNamespace networkNamespace, IPAddress source, IPEndPoint balancer, string token, IReadOnlyList<string> symbols)
    {
        Name = "sdk-client" + number.ToString(CultureInfo.InvariantCulture);
        _namespace = networkNamespace;
        _source = source;
        _symbols = symbols;
        for (var i = 0; i < symbols.Count; i++)
        {
            _symbolIndex[symbols[i]] = i;
        }

        _invoker = new HttpMessageInvoker(new SocketsHttpHandler { ConnectCallback = ConnectAsync });
        _client = new MarketDataClient(new MarketDataClientOptions
        {
            Url = new Uri($"ws://{balancer}/market-data"),
            Token = token,
            HttpInvoker = _invoker,
            // No limit on attempts: the test's own waits bound it. A short first delay keeps the test quick.
            MaxReconnectAttempts = 0,
            ReconnectBaseDelay = TimeSpan.FromMilliseconds(200),
            MaxReconnectDelay = TimeSpan.FromSeconds(2),
        });
        _client.Connected += (_, _) =>
        {
            lock (_lock)
            {
                _connections++;
            }
        };
        _client.Disconnected += (_, e) =>
        {
            lock (_lock)
            {
                _ends.Add(e.CloseCode == 1006 ? $"dropped (1006) {e.Reason}" : string.Create(CultureInfo.InvariantCulture, $"closed {e.CloseCode} {e.Reason}"));
                _localEndPoint = null;
            }
        };
        _client.Error += (_, e) => Violate($"SDK error {e.Code}: {e.Message}");
        foreach (var symbol in symbols)
        {
            _client.OnPrice(symbol, OnPrice);
        }
    }

    public string Name { get; }

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

    public string? Address
    {
        get
        {
            lock (_lock)
            {
                return _client.IsConnected ? _localEndPoint?.ToString() : null;
            }
        }
    }

    public bool Subscribed
    {
        get
        {
            lock (_lock)
            {
                return _subscribed && _client.IsConnected && _latest.Count == _symbols.Count;
            }
        }
    }

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

    public void Start() => _start = StartAsync();

    public bool IsAt(IReadOnlyDictionary<string, ulong> last)
    {
        lock (_lock)
        {
            if (!_subscribed || !_client.IsConnected)
            {
                return false;
            }

            foreach (var (symbol, sequence) in last)
            {
                if (!_latest.TryGetValue(symbol, out var delivered) || delivered != sequence)
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
                $"{Name} (SDK) from {_localEndPoint?.ToString() ?? "(not connected)"}: connected={_client.IsConnected}, {_connections} connections, {_prices} prices; last delivered:");
            foreach (var symbol in _symbols)
            {
                text.Append(CultureInfo.InvariantCulture, $" {symbol}={(_latest.TryGetValue(symbol, out var s) ? s : 0)}");
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
        await _client.DisposeAsync();
        if (_start is not null)
        {
            try
            {
                await _start;
            }
            catch (Exception e) when (e is MarketDataException or OperationCanceledException or ObjectDisposedException)
            {
                // The first connection or subscription was still going: it is already in Violations.
            }
        }

        _invoker.Dispose();
    }

    private async Task StartAsync()
    {
        try
        {
            await _client.ConnectAsync();
            var ack = await _client.SubscribeAsync([.. _symbols]);
            if (ack.Errors.Count > 0)
            {
                Violate("subscription refused: " + string.Join(", ", ack.Errors.Select(e => $"{e.Symbol} {e.Code}")));
            }

            lock (_lock)
            {
                _subscribed = true;
            }
        }
        catch (Exception e)
        {
            Violate($"first connection or subscription failed: {e.GetType().Name}: {e.Message}");
            throw;
        }
    }

    private void OnPrice(BestPrice price)
    {
        lock (_lock)
        {
            _prices++;
            var index = _symbolIndex[price.Symbol];
            if (price.Bid.Price != ClusterPrice.Bid(index, price.Sequence) || price.Ask.Price != ClusterPrice.Ask(index, price.Sequence))
            {
                _violations.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{price.Symbol} #{price.Sequence} is {price.Bid.Price}/{price.Ask.Price}, not the publisher's price for that sequence"));
            }

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
