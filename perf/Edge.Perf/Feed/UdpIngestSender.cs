using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Edge.Perf.Feed;

/// <summary>
/// The reference server's feed: the same ingest messages Edge gets over Aeron, in plain UDP datagrams with no Aeron
/// framing. A datagram holds one or more records, each a uint16 little-endian length and that many bytes of ingest
/// message (perf/reference-server/README.md).
/// </summary>
internal sealed class UdpIngestSender : IDisposable
{
    /// <summary>Aeron's default MTU: a tick's batch is cut into datagrams no larger than Edge's feed would send.</summary>
    public const int MaxDatagramBytes = 1408;

    private const int LengthPrefix = 2;

    private readonly Socket _socket;
    private readonly UdpBatching _batching;
    private readonly byte[] _datagram = new byte[MaxDatagramBytes];
    private int _length;

    public UdpIngestSender(IPEndPoint destination, UdpBatching batching)
    {
        _batching = batching;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Connect(destination);
    }

    public long Datagrams { get; private set; }

    public long SendErrors { get; private set; }

    /// <summary>Adds one message; sends the datagram first when the message would not fit, and at once in <see cref="UdpBatching.Message"/> mode.</summary>
    public void Add(ReadOnlySpan<byte> message)
    {
        if (_length + LengthPrefix + message.Length > MaxDatagramBytes)
        {
            Flush();
        }

        BinaryPrimitives.WriteUInt16LittleEndian(_datagram.AsSpan(_length), (ushort)message.Length);
        message.CopyTo(_datagram.AsSpan(_length + LengthPrefix));
        _length += LengthPrefix + message.Length;
        if (_batching == UdpBatching.Message)
        {
            Flush();
        }
    }

    /// <summary>Sends what is batched (nothing when empty).</summary>
    public void Flush()
    {
        if (_length == 0)
        {
            return;
        }

        try
        {
            _socket.Send(_datagram.AsSpan(0, _length));
            Datagrams++;
        }
        catch (SocketException)
        {
            // An ICMP "port unreachable" from an earlier datagram surfaces here: the server is not (yet) listening.
            SendErrors++;
        }

        _length = 0;
    }

    public void Dispose() => _socket.Dispose();
}
