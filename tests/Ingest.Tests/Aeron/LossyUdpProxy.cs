namespace Edge.Ingest.Tests.Aeron;

/// <summary>
/// A UDP relay between a publisher and a receiver on loopback that drops, duplicates, reorders and delays
/// datagrams with a seeded <see cref="Random"/>, in both directions: data towards the receiver, SM/NAK back.
/// The publisher sends to <see cref="FrontEndPoint"/>; the receiver sees everything come from the back socket.
/// </summary>
internal sealed class LossyUdpProxy : IDisposable
{
    private readonly Socket _front = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _back = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Random _random;
    private readonly Thread _thread;
    private readonly List<(long DueMs, byte[] Data, bool ToReceiver)> _delayed = [];
    private readonly byte[] _buffer = new byte[65536];
    private volatile IPEndPoint _target;
    private volatile bool _stopping;
    private volatile bool _blackhole;
    private EndPoint? _publisher;
    private long _forwarded;
    private long _droppedData;
    private long _fromPublisher;

    public LossyUdpProxy(IPEndPoint target, int seed)
    {
        _target = target;
        _random = new Random(seed);
        _front.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _back.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _thread = new Thread(Run) { Name = "lossy-proxy", IsBackground = true };
        _thread.Start();
    }

    public IPEndPoint FrontEndPoint => (IPEndPoint)_front.LocalEndPoint!;

    /// <summary>Chance that a datagram is lost.</summary>
    public double DropRate { get; set; }

    /// <summary>Chance that a datagram is sent twice.</summary>
    public double DuplicateRate { get; set; }

    /// <summary>Chance that a datagram is held back 1-5 ms (and so overtaken by later ones).</summary>
    public double DelayRate { get; set; }

    /// <summary>Drops everything while true (a cut link); checked as each datagram is read.</summary>
    public bool Blackhole
    {
        get => _blackhole;
        set => _blackhole = value;
    }

    public long Forwarded => Interlocked.Read(ref _forwarded);

    /// <summary>Datagrams read from the publisher's side, forwarded or not.</summary>
    public long ReceivedFromPublisher => Interlocked.Read(ref _fromPublisher);

    /// <summary>DATA datagrams (not heartbeats) dropped on the way to the receiver.</summary>
    public long DroppedData => Interlocked.Read(ref _droppedData);

    /// <summary>Where data goes from now on (a different receiver: a late join).</summary>
    public void Retarget(IPEndPoint target) => _target = target;

    public void Dispose()
    {
        _stopping = true;
        _thread.Join();
        _front.Dispose();
        _back.Dispose();
    }

    private void Run()
    {
        var readable = new List<Socket>(2);
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (!_stopping)
        {
            readable.Clear();
            readable.Add(_front);
            readable.Add(_back);
            Socket.Select(readable, null, null, 1000);
            foreach (var socket in readable)
            {
                int length;
                try
                {
                    length = socket.ReceiveFrom(_buffer, ref from);
                }
                catch (SocketException)
                {
                    continue;
                }

                var toReceiver = socket == _front;
                if (toReceiver)
                {
                    _publisher = from;
                }

                Impair(_buffer.AsSpan(0, length).ToArray(), toReceiver);
                if (toReceiver)
                {
                    Interlocked.Increment(ref _fromPublisher);
                }
            }

            var now = Environment.TickCount64;
            for (var i = _delayed.Count - 1; i >= 0; i--)
            {
                if (_delayed[i].DueMs <= now)
                {
                    Forward(_delayed[i].Data, _delayed[i].ToReceiver);
                    _delayed.RemoveAt(i);
                }
            }
        }
    }

    private void Impair(byte[] data, bool toReceiver)
    {
        if (Blackhole)
        {
            return;
        }

        var roll = _random.NextDouble();
        if (roll < DropRate)
        {
            if (toReceiver && data.Length > 32 && data[6] == 1)
            {
                Interlocked.Increment(ref _droppedData);
            }

            return;
        }

        if (roll < DropRate + DuplicateRate)
        {
            Forward(data, toReceiver);
        }
        else if (roll < DropRate + DuplicateRate + DelayRate)
        {
            _delayed.Add((Environment.TickCount64 + _random.Next(1, 6), data, toReceiver));
            return;
        }

        Forward(data, toReceiver);
    }

    private void Forward(byte[] data, bool toReceiver)
    {
        if (toReceiver)
        {
            _back.SendTo(data, _target);
        }
        else if (_publisher is not null)
        {
            _front.SendTo(data, _publisher);
        }

        Interlocked.Increment(ref _forwarded);
    }
}
