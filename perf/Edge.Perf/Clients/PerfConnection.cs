using System.Net.Security;
using System.Net.Sockets;

namespace Edge.Perf.Clients;

/// <summary>One client connection's state: the socket, the subscription and the last sequence seen per symbol.</summary>
internal sealed class PerfConnection
{
    public PerfConnection(int id, Socket socket)
    {
        Id = id;
        Socket = socket;
        Fd = (int)socket.Handle;
    }

    public int Id { get; }

    public Socket Socket { get; }

    public int Fd { get; }

    /// <summary>TLS runs: the connection's TLS stream (over the blocking socket), read by its own async pump instead of epoll.</summary>
    public SslStream? Tls { get; set; }

    /// <summary>Subscribed symbol indexes (a handful: looked up linearly).</summary>
    public int[] Symbols { get; private set; } = [];

    public ulong[] LastSequences { get; private set; } = [];

    public ConnectionState State { get; set; } = ConnectionState.Connecting;

    public long ConnectStartedNs { get; set; }

    /// <summary>Bytes of an incomplete frame (or SSE event) carried to the next read.</summary>
    public byte[]? Pending { get; set; }

    public int PendingLength { get; set; }

    /// <summary>SSE only: chunk framing and event text.</summary>
    public SseStreamState? Sse { get; set; }

    /// <summary>The request (upgrade or SSE GET) sent after connect.</summary>
    public byte[] Request { get; set; } = [];

    /// <summary>socket.io only: the namespace CONNECT sent after the 101; <see cref="Subscribe"/> follows its reply.</summary>
    public byte[] Join { get; set; } = [];

    /// <summary>WebSocket and socket.io: the masked subscribe frame sent after the 101 or the join (empty: subscribe to nothing).</summary>
    public byte[] Subscribe { get; set; } = [];

    public void SetSymbols(int[] symbols)
    {
        Symbols = symbols;
        LastSequences = new ulong[symbols.Length];
    }

    public int SlotOf(int symbol)
    {
        var symbols = Symbols;
        for (var i = 0; i < symbols.Length; i++)
        {
            if (symbols[i] == symbol)
            {
                return i;
            }
        }

        return -1;
    }
}
