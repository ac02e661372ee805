using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using HdrHistogram;

namespace Edge.Perf.Clients;

/// <summary>
/// The tool's connections and the loops that read them. Connects with a paced ramp, bound before connect to
/// 127.0.0.1 … 127.0.0.n in turn (each source address has its own ephemeral port range), at most a given number
/// of handshakes in flight. With TLS each connection gets an <see cref="SslStream"/> read by its loop's async pump.
/// </summary>
internal sealed class ClientPool : IDisposable
{
    private const int IpBindAddressNoPort = 24;

    private readonly PerfConnection?[] _connections;
    private readonly ClientLoop[] _loops;
    private readonly IPEndPoint _target;
    private readonly Transport _transport;
    private readonly int _sourceAddresses;
    private readonly SslClientAuthenticationOptions? _tls;
    private int _count;
    private long _connectFailures;

    public ClientPool(int capacity, int loops, IPEndPoint target, Transport transport, int sourceAddresses, ClientWait wait = ClientWait.Blocking, bool tls = false)
    {
        // The run's own self-signed certificate on loopback: accepted without a chain.
        _tls = tls
            ? new SslClientAuthenticationOptions { TargetHost = "localhost", RemoteCertificateValidationCallback = static (_, _, _, _) => true }
            : null;
        _connections = new PerfConnection?[capacity];
        _target = target;
        _transport = transport;
        _sourceAddresses = sourceAddresses;
        _loops = new ClientLoop[loops];
        for (var i = 0; i < loops; i++)
        {
            _loops[i] = new ClientLoop(i, _connections, transport, wait);
        }
    }

    public int Count => _count;

    public long ConnectFailures => Interlocked.Read(ref _connectFailures);

    public string? FirstConnectError { get; private set; }

    public IReadOnlyList<ClientLoop> Loops => _loops;

    /// <summary>See <see cref="ClientLoop.Parked"/>.</summary>
    public bool Parked
    {
        set
        {
            foreach (var loop in _loops)
            {
                loop.Parked = value;
            }
        }
    }

    public LoopTotals Totals()
    {
        var totals = new LoopTotals();
        foreach (var loop in _loops)
        {
            loop.Counters.AddTo(totals);
        }

        return totals;
    }

    /// <summary>Latencies recorded by all loops since the last call, merged.</summary>
    public LongHistogram TakeInterval()
    {
        var merged = new LongHistogram(ClientLoop.HighestLatencyNs, 3);
        foreach (var loop in _loops)
        {
            merged.Add(loop.TakeInterval());
        }

        return merged;
    }

    public LongHistogram HandshakeTimes()
    {
        var merged = new LongHistogram(ClientLoop.HighestLatencyNs, 3);
        foreach (var loop in _loops)
        {
            merged.Add(loop.HandshakeTimes());
        }

        return merged;
    }

    /// <summary>
    /// Opens <paramref name="count"/> more connections over <paramref name="rampSeconds"/>, each with the request
    /// (and subscribe frame) made by <paramref name="prepare"/>. Returns when all are sent (not yet answered).
    /// </summary>
    public void Connect(int count, double rampSeconds, int maxInFlight, Action<PerfConnection> prepare, CancellationToken cancel)
    {
        var start = Stopwatch.GetTimestamp();
        var first = _count;
        count = Math.Min(count, _connections.Length - first);
        for (var n = 0; n < count && !cancel.IsCancellationRequested; n++)
        {
            // Pace: connection n is due at n/count of the ramp.
            var due = start + (long)(rampSeconds * Stopwatch.Frequency * n / count);
            while (Stopwatch.GetTimestamp() < due)
            {
                Thread.Sleep(1);
            }

            while (InFlight() >= maxInFlight && !cancel.IsCancellationRequested)
            {
                Thread.Sleep(1);
            }

            var id = first + n;
            _count = id + 1;
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            long started = 0;
            try
            {
                // Let connect() pick the port per 4-tuple rather than bind() per address (more than 28 k per address).
                socket.SetRawSocketOption(0, IpBindAddressNoPort, [1, 0, 0, 0]);
                socket.Bind(new IPEndPoint(new IPAddress([127, 0, 0, (byte)(1 + (id % _sourceAddresses))]), 0));
                started = PerfClock.NowNs();
                socket.Connect(_target);
                socket.Blocking = _tls is not null;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                Interlocked.Increment(ref _connectFailures);
                FirstConnectError ??= $"{e.SocketErrorCode}: {e.Message}";
                continue;
            }

            var connection = new PerfConnection(id, socket);
            prepare(connection);
            connection.ConnectStartedNs = started;
            if (_tls is not null)
            {
                connection.Tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
                _loops[id % _loops.Length].AddTls(connection, _tls);
            }
            else if (!_loops[id % _loops.Length].Add(connection))
            {
                Interlocked.Increment(ref _connectFailures);
            }
        }
    }

    /// <summary>Connections started whose response head has not come yet.</summary>
    public long InFlight()
    {
        var totals = Totals();
        return _count - ConnectFailures - totals.HandshakesOk - totals.HandshakesFailed;
    }

    public PerfConnection? Connection(int id) => Volatile.Read(ref _connections[id]);

    public void Dispose()
    {
        foreach (var loop in _loops)
        {
            loop.Dispose();
        }
    }
}
