using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Edge.EndToEnd.Tests.SocketIo;

/// <summary>
/// A hand-driven Engine.IO v4 WebSocket client: sends and reads raw text packets, so tests see every byte Edge sends and
/// can send what no well-behaved client would. It never answers pings by itself.
/// </summary>
internal sealed class SocketIoTestClient : IDisposable
{
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromSeconds(30);
    private readonly ClientWebSocket _socket;

    private SocketIoTestClient(ClientWebSocket socket)
    {
        _socket = socket;
    }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    /// <summary>Opens <c>/socket.io/?EIO=4&amp;transport=websocket</c> plus <paramref name="query"/>, and reads the open packet.</summary>
    public static async Task<(SocketIoTestClient Client, string Open)> OpenAsync(IPEndPoint endPoint, string query = "")
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{endPoint.Port}/socket.io/?EIO=4&transport=websocket{query}"), CancellationToken.None);
        var client = new SocketIoTestClient(socket);
        var open = await client.ReceiveAsync();
        return (client, open!);
    }

    /// <summary>Opens and joins <c>/market-data</c> with <paramref name="token"/>; returns after the <c>connected</c> event.</summary>
    public static async Task<SocketIoTestClient> JoinAsync(IPEndPoint endPoint, string token)
    {
        var (client, _) = await OpenAsync(endPoint);
        await client.SendAsync("40/market-data,{\"token\":\"" + token + "\"}");
        var connect = await client.ReceiveAsync();
        Assert.That(connect, Does.StartWith("40/market-data,{\"sid\":"));
        Assert.That(await client.ReceiveAsync(), Does.StartWith("42/market-data,[\"connected\""));
        return client;
    }

    public Task SendAsync(string packet) => SendAsync(Encoding.UTF8.GetBytes(packet), WebSocketMessageType.Text);

    public async Task SendAsync(byte[] bytes, WebSocketMessageType type) =>
        await _socket.SendAsync(bytes, type, endOfMessage: true, CancellationToken.None);

    /// <summary>The next text packet, or null once the server closed (then <see cref="CloseStatus"/> says how).</summary>
    public async Task<string?> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        var buffer = new byte[64 * 1024];
        var length = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(buffer, 0, length);
            }
        }
    }

    /// <summary>Reads until a packet starting with <paramref name="prefix"/> (answering pings meanwhile when asked to).</summary>
    public async Task<string> ReceiveAsync(string prefix, bool answerPings = true)
    {
        while (true)
        {
            var packet = await ReceiveAsync() ?? throw new InvalidOperationException($"closed ({CloseStatus} {CloseDescription}) before '{prefix}'");
            if (packet.StartsWith(prefix, StringComparison.Ordinal))
            {
                return packet;
            }

            if (answerPings && packet == "2")
            {
                await SendAsync("3");
            }
        }
    }

    /// <summary>Reads (and drops) packets until the server's close; returns its status.</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }

        return CloseStatus;
    }

    public void Dispose() => _socket.Dispose();
}
