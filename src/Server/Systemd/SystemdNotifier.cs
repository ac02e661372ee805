using System.Net.Sockets;
using System.Text;

namespace Edge.Server.Systemd;

/// <summary>
/// The sd_notify protocol without libsystemd: each state change is one datagram of <c>KEY=VALUE</c> lines sent to the
/// Unix datagram socket named by <c>NOTIFY_SOCKET</c> (a path, or an abstract name written with a leading <c>@</c>).
/// Without <c>NOTIFY_SOCKET</c> (not run by systemd) every send is a no-op. Sends never throw: a lost notification
/// is logged by systemd's side as a timeout, and must not take the server down.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endPoint;
    private readonly Lock _sendLock = new();

    /// <param name="notifySocket">The value of NOTIFY_SOCKET; null or empty disables the notifier.</param>
    public SystemdNotifier(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket))
        {
            return;
        }

        // "@name" is Linux's abstract namespace: the address starts with a NUL byte instead of the '@'.
        _endPoint = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        Address = notifySocket;
    }

    /// <summary>True when NOTIFY_SOCKET was set.</summary>
    public bool Enabled => _socket is not null;

    /// <summary>The socket address as given in NOTIFY_SOCKET.</summary>
    public string? Address { get; }

    /// <summary>Failed sends, for tests and the log.</summary>
    public int Failures { get; private set; }

    /// <summary>The notifier for this process, from its environment.</summary>
    public static SystemdNotifier FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    /// <summary>Sends one datagram with the given lines (e.g. <c>READY=1</c>, <c>STATUS=...</c>); false when it failed.</summary>
    public bool Notify(string state)
    {
        if (_socket is null)
        {
            return false;
        }

        var bytes = Encoding.UTF8.GetBytes(state);
        lock (_sendLock)
        {
            try
            {
                _socket.SendTo(bytes, SocketFlags.None, _endPoint!);
                return true;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                Failures++;
                return false;
            }
        }
    }

    /// <summary>A STATUS= value on one line (systemd shows it in <c>systemctl status</c>).</summary>
    public static string StatusLine(string status) => "STATUS=" + status.Replace('\n', ' ');

    public void Dispose()
    {
        lock (_sendLock)
        {
            _socket?.Dispose();
        }
    }
}
