using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Edge.EndToEnd.Tests.Support;

/// <summary>A deliberately plain HTTP/1.1 client over a raw socket, so tests control every byte sent.</summary>
internal sealed class RawHttp : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly Socket _socket;
    private readonly List<byte> _pending = [];

    private RawHttp(Socket socket)
    {
        _socket = socket;
    }

    public static async Task<RawHttp> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var cts = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(endPoint, cts.Token);
        return new RawHttp(socket);
    }

    public static async Task<RawHttpResponse> GetAsync(IPEndPoint endPoint, string path)
    {
        using var client = await ConnectAsync(endPoint);
        await client.SendAsync($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        return await client.ReadResponseAsync();
    }

    public async Task SendAsync(string text) => await SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(bytes, SocketFlags.None, cts.Token);
    }

    /// <summary>Reads one response: head, then Content-Length bytes of body.</summary>
    public async Task<RawHttpResponse> ReadResponseAsync()
    {
        int headEnd;
        while ((headEnd = IndexOfHeadEnd()) < 0)
        {
            if (!await ReceiveMoreAsync())
            {
                throw new IOException("connection closed before a full response head: " + Encoding.Latin1.GetString(_pending.ToArray()));
            }
        }

        var head = Encoding.Latin1.GetString(_pending.GetRange(0, headEnd).ToArray());
        var lines = head.Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 1; i < lines.Length; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            headers[lines[i][..colon]] = lines[i][(colon + 1)..].Trim();
        }

        var length = headers.TryGetValue("Content-Length", out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        while (_pending.Count < headEnd + 4 + length)
        {
            if (!await ReceiveMoreAsync())
            {
                throw new IOException("connection closed inside a response body");
            }
        }

        var body = Encoding.UTF8.GetString(_pending.GetRange(headEnd + 4, length).ToArray());
        _pending.RemoveRange(0, headEnd + 4 + length);
        return new RawHttpResponse(status, headers, body);
    }

    /// <summary>True when the server closes the connection (read returns 0) within the timeout.</summary>
    public async Task<bool> WaitForCloseAsync()
    {
        try
        {
            while (await ReceiveMoreAsync())
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

    public void Dispose() => _socket.Dispose();

    private async Task<bool> ReceiveMoreAsync()
    {
        var buffer = new byte[4096];
        using var cts = new CancellationTokenSource(Timeout);
        var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        if (read == 0)
        {
            return false;
        }

        _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        return true;
    }

    private int IndexOfHeadEnd()
    {
        for (var i = 0; i + 3 < _pending.Count; i++)
        {
            if (_pending[i] == '\r' && _pending[i + 1] == '\n' && _pending[i + 2] == '\r' && _pending[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
