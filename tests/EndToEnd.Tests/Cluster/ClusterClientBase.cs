using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Edge.Protocol;

namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// What both cluster clients share (<see cref="ClusterClient"/> on a raw WebSocket, <see cref="SdkClusterClient"/> on
/// the .NET SDK): connections made in the namespace from the client's own address, the counts and logs the test
/// reads, and the check that every delivered price is the publisher's price for its sequence.
/// </summary>
internal abstract class ClusterClientBase : IClusterClient
{
    private readonly NetworkNamespace _namespace;
    private readonly IPAddress _source;
    private readonly Dictionary<string, int> _symbolIndex = [];

    // Guarded by Gate.
    private readonly List<string> _violations = [];
    private readonly List<string> _ends = [];
    private IPEndPoint? _localEndPoint;
    private int _connections;
    private long _prices;

    protected ClusterClientBase(string name, NetworkNamespace networkNamespace, IPAddress source, IReadOnlyList<string> symbols)
    {
        Name = name;
        _namespace = networkNamespace;
        _source = source;
        Symbols = symbols;
        for (var i = 0; i < symbols.Count; i++)
        {
            _symbolIndex[symbols[i]] = i;
        }

        Invoker = new HttpMessageInvoker(new SocketsHttpHandler { ConnectCallback = ConnectAsync });
    }

    public string Name { get; }

    public int Connections
    {
        get
        {
            lock (Gate)
            {
                return _connections;
            }
        }
    }

    public virtual string? Address
    {
        get
        {
            lock (Gate)
            {
                return _localEndPoint?.ToString();
            }
        }
    }

    public abstract bool Subscribed { get; }

    public long Prices
    {
        get
        {
            lock (Gate)
            {
                return _prices;
            }
        }
    }

    public IReadOnlyList<string> Violations
    {
        get
        {
            lock (Gate)
            {
                return [.. _violations];
            }
        }
    }

    public IReadOnlyList<string> Ends
    {
        get
        {
            lock (Gate)
            {
                return [.. _ends];
            }
        }
    }

    protected IReadOnlyList<string> Symbols { get; }

    /// <summary>Makes every connection in the namespace, bound to this client's address.</summary>
    protected HttpMessageInvoker Invoker { get; }

    /// <summary>Guards the state here and the subclass's (a reentrant lock: a subclass holding it may call in).</summary>
    protected Lock Gate { get; } = new();

    /// <summary>Whether <see cref="Delivered"/> describes a live, subscribed connection. Read under <see cref="Gate"/>.</summary>
    protected abstract bool IsLive { get; }

    /// <summary>The last sequence delivered per symbol, as <see cref="IsAt"/> compares it. Read under <see cref="Gate"/>.</summary>
    protected abstract IReadOnlyDictionary<string, ulong> Delivered { get; }

    public abstract void Start();

    public bool IsAt(IReadOnlyDictionary<string, ulong> last)
    {
        lock (Gate)
        {
            if (!IsLive)
            {
                return false;
            }

            foreach (var (symbol, sequence) in last)
            {
                if (!Delivered.TryGetValue(symbol, out var delivered) || delivered != sequence)
                {
                    return false;
                }
            }

            return true;
        }
    }

    public string Describe()
    {
        lock (Gate)
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture,
                $"{Name} from {_localEndPoint?.ToString() ?? "(not connected)"}: {DescribeState()}, {_connections} connections, {_prices} prices; delivered:");
            foreach (var symbol in Symbols)
            {
                text.Append(CultureInfo.InvariantCulture, $" {symbol}={(Delivered.TryGetValue(symbol, out var s) ? s : 0)}");
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
        await StopAsync();
        Invoker.Dispose();
    }

    /// <summary>Stops the client's connections before its invoker is disposed.</summary>
    protected abstract Task StopAsync();

    /// <summary>The client's own state for <see cref="Describe"/>. Called under <see cref="Gate"/>.</summary>
    protected abstract string DescribeState();

    protected void CountConnection()
    {
        lock (Gate)
        {
            _connections++;
        }
    }

    /// <summary>Logs how a connection ended (close code and reason, or the error); it has no address any more.</summary>
    protected void EndConnection(string how)
    {
        lock (Gate)
        {
            _ends.Add(how);
            _localEndPoint = null;
        }
    }

    protected void Violate(string violation)
    {
        lock (Gate)
        {
            _violations.Add(violation);
        }
    }

    /// <summary>
    /// Counts a delivered price (<paramref name="where"/>: snapshot or price) and checks it is the publisher's price for
    /// its sequence; false for a symbol this client did not subscribe (a violation).
    /// </summary>
    protected bool CountAndCheck(BestPrice price, string where)
    {
        lock (Gate)
        {
            _prices++;
            if (!_symbolIndex.TryGetValue(price.Symbol, out var index))
            {
                _violations.Add("a price for an unsubscribed symbol " + price.Symbol);
                return false;
            }

            if (price.Bid.Price != ClusterPrice.Bid(index, price.Sequence) || price.Ask.Price != ClusterPrice.Ask(index, price.Sequence))
            {
                _violations.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{where} {price.Symbol} #{price.Sequence} is {price.Bid.Price}/{price.Ask.Price}, not the publisher's price for that sequence"));
            }

            return true;
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
            lock (Gate)
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
