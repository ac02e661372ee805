namespace Edge.Ingest.Tests.Aeron;

/// <summary>A plain UDP socket on 127.0.0.1 that plays one side of the protocol by hand.</summary>
internal sealed class RawUdpPeer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly byte[] _buffer = new byte[65536];

    public RawUdpPeer()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.ReceiveTimeout = 200;
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Where the last datagram came from.</summary>
    public IPEndPoint? LastSource { get; private set; }

    public void Send(byte[] datagram, IPEndPoint to) => _socket.SendTo(datagram, to);

    /// <summary>Next datagram, or null if none came within <paramref name="timeoutMs"/>.</summary>
    public byte[]? TryReceive(int timeoutMs = 200)
    {
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        if (!_socket.Poll(timeoutMs * 1000, SelectMode.SelectRead))
        {
            return null;
        }

        try
        {
            var length = _socket.ReceiveFrom(_buffer, ref from);
            LastSource = (IPEndPoint)from;
            return _buffer.AsSpan(0, length).ToArray();
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return null;
        }
    }

    /// <summary>Receives until a datagram matches, skipping others; fails after the generous timeout.</summary>
    public byte[] ReceiveUntil(Func<byte[], bool> match, string what)
    {
        var deadline = DateTime.UtcNow + Wait.Generous;
        while (DateTime.UtcNow < deadline)
        {
            var datagram = TryReceive();
            if (datagram is not null && match(datagram))
            {
                return datagram;
            }
        }

        Assert.Fail($"Timed out waiting for {what}");
        return [];
    }

    public byte[] ReceiveType(AeronFrameType type, string what) =>
        ReceiveUntil(d => d.Length >= 8 && new FrameHeaderFlyweight(d).Type == type, what);

    /// <summary>Next DATA datagram that is not a heartbeat.</summary>
    public byte[] ReceiveData(string what) =>
        ReceiveUntil(d => d.Length >= 32 && new FrameHeaderFlyweight(d).Type is AeronFrameType.Data or AeronFrameType.Pad && !new DataHeaderFlyweight(d).IsHeartbeat, what);

    public void Dispose() => _socket.Dispose();
}
