using System.Net.Sockets;
using System.Text;

namespace Edge.Server.Tests.Systemd;

/// <summary>systemd's side of sd_notify: a Unix datagram socket (a file in a temp directory, or an abstract name).</summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket;
    private readonly string? _directory;

    public NotifySocket(bool isAbstract = false)
    {
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        if (isAbstract)
        {
            var name = "edge-test-" + Guid.NewGuid().ToString("N");
            _socket.Bind(new UnixDomainSocketEndPoint("\0" + name));
            Address = "@" + name;
        }
        else
        {
            _directory = Path.Combine(Path.GetTempPath(), "edge-notify-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(_directory);
            Address = Path.Combine(_directory, "notify.sock");
            _socket.Bind(new UnixDomainSocketEndPoint(Address));
        }
    }

    /// <summary>The NOTIFY_SOCKET value for this socket.</summary>
    public string Address { get; }

    /// <summary>The next datagram, or an exception after the timeout.</summary>
    public async Task<string> ReceiveAsync(TimeSpan? timeout = null)
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        var length = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>Receives datagrams until one satisfies <paramref name="match"/>; returns every datagram read, that one last.</summary>
    public async Task<List<string>> ReceiveUntilAsync(Func<string, bool> match, int maxDatagrams = 1000)
    {
        var seen = new List<string>();
        for (var i = 0; i < maxDatagrams; i++)
        {
            var datagram = await ReceiveAsync();
            seen.Add(datagram);
            if (match(datagram))
            {
                return seen;
            }
        }

        throw new AssertionException("no matching notification among: " + string.Join(" | ", seen));
    }

    /// <summary>Every datagram already queued, without waiting.</summary>
    public List<string> Drain()
    {
        var seen = new List<string>();
        var buffer = new byte[4096];
        while (_socket.Available > 0)
        {
            var length = _socket.Receive(buffer);
            seen.Add(Encoding.UTF8.GetString(buffer, 0, length));
        }

        return seen;
    }

    public void Dispose()
    {
        _socket.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
