using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Edge.EndToEnd.Tests.WebSockets;

/// <summary>
/// A WebSocket client over a raw socket, so a test controls every byte: the handshake text, eager frames, hostile
/// frames, chopped writes. Every wait is bounded.
/// </summary>
internal sealed class RawWebSocket : IDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    public const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private readonly Socket _socket;
    private readonly List<byte> _pending = [];

    private RawWebSocket(Socket socket)
    {
        _socket = socket;
    }

    public int Status { get; private set; }

    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string Body { get; private set; } = string.Empty;

    public static async Task<RawWebSocket> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(endPoint, cts.Token);
            return new RawWebSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Connects, sends a version-13 handshake for <paramref name="target"/> (plus <paramref name="eager"/> bytes in the same write) and reads the response head.</summary>
    public static async Task<RawWebSocket> OpenAsync(IPEndPoint endPoint, string target, string extraHeaders = "", byte[]? eager = null)
    {
        var client = await ConnectAsync(endPoint);
        try
        {
            var request = $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {Key}\r\n{extraHeaders}\r\n";
            var bytes = Encoding.Latin1.GetBytes(request);
            await client.SendAsync(eager is null ? bytes : [.. bytes, .. eager]);
            await client.ReadResponseAsync();
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async Task SendAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _socket.SendAsync(bytes, SocketFlags.None, cts.Token);
    }

    /// <summary>Sends in pieces of <paramref name="chop"/> bytes, one write each (like Autobahn's chopped cases).</summary>
    public async Task SendChoppedAsync(byte[] bytes, int chop)
    {
        for (var at = 0; at < bytes.Length; at += chop)
        {
            await SendAsync(bytes[at..Math.Min(bytes.Length, at + chop)]);
        }
    }

    /// <summary>Reads the response head and its Content-Length body.</summary>
    public async Task ReadResponseAsync()
    {
        int end;
        while ((end = IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (!await ReceiveMoreAsync())
            {
                throw new IOException("closed before a response head");
            }
        }

        var lines = Encoding.Latin1.GetString([.. _pending.GetRange(0, end)]).Split("\r\n");
        Status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            Headers[line[..colon]] = line[(colon + 1)..].Trim();
        }

        _pending.RemoveRange(0, end + 4);
        var length = Headers.TryGetValue("Content-Length", out var value) ? int.Parse(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        while (_pending.Count < length)
        {
            if (!await ReceiveMoreAsync())
            {
                throw new IOException("closed inside a response body");
            }
        }

        Body = Encoding.UTF8.GetString([.. _pending.GetRange(0, length)]);
        _pending.RemoveRange(0, length);
    }

    /// <summary>The next frame, or null when the server closed the connection first.</summary>
    public async Task<WireFrame?> ReadFrameAsync()
    {
        while (true)
        {
            var frame = WireFrame.TryParse([.. _pending], out var consumed);
            if (frame is not null)
            {
                _pending.RemoveRange(0, consumed);
                return frame;
            }

            if (!await ReceiveMoreAsync())
            {
                return null;
            }
        }
    }

    /// <summary>Every frame until the server's close frame (inclusive) or the end of the connection.</summary>
    public async Task<List<WireFrame>> ReadUntilCloseAsync()
    {
        var frames = new List<WireFrame>();
        while (await ReadFrameAsync() is { } frame)
        {
            frames.Add(frame);
            if (frame.Opcode == Edge.Protocol.WebSockets.WebSocketOpcode.Close)
            {
                break;
            }
        }

        return frames;
    }

    /// <summary>True when the server closes TCP within the timeout (a read returns 0 or the connection is reset).</summary>
    public async Task<bool> WaitForEndAsync()
    {
        try
        {
            while (await ReceiveMoreAsync())
            {
                _pending.Clear();
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

    /// <summary>Reads and drops <paramref name="count"/> bytes: large answers a test only needs to have received.</summary>
    public async Task DiscardAsync(long count)
    {
        var buffered = (int)Math.Min(count, _pending.Count);
        _pending.RemoveRange(0, buffered);
        count -= buffered;
        var buffer = new byte[256 * 1024];
        while (count > 0)
        {
            using var cts = new CancellationTokenSource(Timeout);
            var read = await _socket.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), SocketFlags.None, cts.Token);
            if (read == 0)
            {
                throw new IOException($"closed with {count} bytes still to come");
            }

            count -= read;
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task<bool> ReceiveMoreAsync()
    {
        var buffer = new byte[16 * 1024];
        using var cts = new CancellationTokenSource(Timeout);
        var read = await _socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        if (read == 0)
        {
            return false;
        }

        _pending.AddRange(buffer.AsSpan(0, read));
        return true;
    }

    private int IndexOf(ReadOnlySpan<byte> needle) => ((ReadOnlySpan<byte>)[.. _pending]).IndexOf(needle);
}
