using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Edge.EndToEnd.Tests.Support;

/// <summary>
/// A raw TCP connection to Edge that keeps what it received and has not consumed yet in <see cref="Pending"/>, for the
/// clients that check the wire byte by byte (<see cref="RawHttp"/>, the SSE stream reader). A reset counts as the end
/// of the stream. Every wait is bounded by <see cref="Timeout"/>.
/// </summary>
internal abstract class RawSocketConnection : IDisposable
{
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    protected RawSocketConnection(Socket socket)
    {
        Socket = socket;
    }

    protected Socket Socket { get; }

    /// <summary>Bytes received and not consumed yet.</summary>
    protected List<byte> Pending { get; } = [];

    public async Task SendAsync(string text) => await SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await Socket.SendAsync(bytes, SocketFlags.None, cts.Token);
    }

    /// <summary>True when the server closes the connection within the timeout (what is still queued is skipped).</summary>
    public async Task<bool> WaitForCloseAsync()
    {
        try
        {
            var buffer = new byte[64 * 1024];
            using var cts = new CancellationTokenSource(Timeout);
            while (await Socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => Socket.Dispose();

    /// <summary>A TCP socket (no Nagle) connected to <paramref name="endPoint"/> within the timeout; disposed if that fails.</summary>
    protected static async Task<Socket> ConnectSocketAsync(IPEndPoint endPoint, int? receiveBufferSize = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (receiveBufferSize is { } size)
            {
                socket.ReceiveBufferSize = size;
            }

            using var cts = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(endPoint, cts.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Receives more into <see cref="Pending"/>; false at the end of the stream (or a reset).</summary>
    protected async Task<bool> ReceiveMoreAsync()
    {
        var buffer = new byte[16 * 1024];
        using var cts = new CancellationTokenSource(Timeout);
        int read;
        try
        {
            read = await Socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        }
        catch (SocketException)
        {
            return false;
        }

        if (read == 0)
        {
            return false;
        }

        Pending.AddRange(buffer.AsSpan(0, read).ToArray());
        return true;
    }

    /// <summary>Where <paramref name="marker"/> starts in <see cref="Pending"/>, receiving until it arrives; -1 if the stream ends first.</summary>
    protected async Task<int> IndexOfAsync(byte[] marker)
    {
        var from = 0;
        while (true)
        {
            for (var i = from; i + marker.Length <= Pending.Count; i++)
            {
                var match = true;
                for (var j = 0; j < marker.Length && match; j++)
                {
                    match = Pending[i + j] == marker[j];
                }

                if (match)
                {
                    return i;
                }
            }

            from = Math.Max(0, Pending.Count - marker.Length + 1);
            if (!await ReceiveMoreAsync())
            {
                return -1;
            }
        }
    }

    /// <summary>
    /// Takes the response head from <see cref="Pending"/> (up to its blank line at <paramref name="headEnd"/>) and returns
    /// its status; a header that comes twice is joined with ", ".
    /// </summary>
    protected int TakeHead(int headEnd, Dictionary<string, string> headers)
    {
        var head = Encoding.Latin1.GetString(Pending.GetRange(0, headEnd).ToArray());
        Pending.RemoveRange(0, headEnd + 4);
        var lines = head.Split("\r\n");
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            var name = lines[i][..colon];
            var value = lines[i][(colon + 1)..].Trim();
            headers[name] = headers.TryGetValue(name, out var before) ? before + ", " + value : value;
        }

        return int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }
}
