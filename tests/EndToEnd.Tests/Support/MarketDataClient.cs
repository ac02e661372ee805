using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using Edge.Protocol.Client;

namespace Edge.EndToEnd.Tests.Support;

/// <summary>A test client on ClientWebSocket that speaks client protocol v1 in either encoding.</summary>
internal sealed class MarketDataClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ClientWebSocket _socket;
    private readonly byte[] _buffer = new byte[256 * 1024];
    private long _nextId;

    private MarketDataClient(ClientWebSocket socket, ClientEncoding encoding)
    {
        _socket = socket;
        Encoding = encoding;
    }

    public ClientEncoding Encoding { get; }

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    public static Task<MarketDataClient> ConnectAsync(IPEndPoint endPoint, string token, ClientEncoding encoding = ClientEncoding.MessagePack) =>
        ConnectAsync(new Uri($"ws://127.0.0.1:{endPoint.Port}/market-data"), token, encoding, static _ => { });

    /// <summary>Connects to any URL (e.g. wss://), letting the test set client options such as certificate validation.</summary>
    public static async Task<MarketDataClient> ConnectAsync(Uri url, string token, ClientEncoding encoding, Action<ClientWebSocketOptions> configure)
    {
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.AddSubProtocol(encoding == ClientEncoding.Json ? ClientSubprotocol.Json : ClientSubprotocol.MessagePack);
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            configure(socket.Options);
            using var cts = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(url, cts.Token);
            return new MarketDataClient(socket, encoding);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public Task<long> SubscribeAsync(params string[] symbols) => SubscribeAsync(symbols, null);

    public async Task<long> SubscribeAsync(string[] symbols, int? maxRate)
    {
        var id = ++_nextId;
        var writer = new ArrayBufferWriter<byte>();
        ClientMessageWriter.WriteSubscribe(writer, Encoding, id, symbols, maxRate);
        await SendAsync(writer.WrittenMemory);
        return id;
    }

    public async Task<long> UnsubscribeAsync(params string[] symbols)
    {
        var id = ++_nextId;
        var writer = new ArrayBufferWriter<byte>();
        ClientMessageWriter.WriteUnsubscribe(writer, Encoding, id, symbols);
        await SendAsync(writer.WrittenMemory);
        return id;
    }

    public async Task<long> PingAsync()
    {
        var id = ++_nextId;
        var writer = new ArrayBufferWriter<byte>();
        ClientMessageWriter.WritePing(writer, Encoding, id);
        await SendAsync(writer.WrittenMemory);
        return id;
    }

    public async Task SendAuthAsync(string token)
    {
        var writer = new ArrayBufferWriter<byte>();
        ClientMessageWriter.WriteAuth(writer, Encoding, token);
        await SendAsync(writer.WrittenMemory);
    }

    public async Task SendAsync(ReadOnlyMemory<byte> payload)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var type = Encoding == ClientEncoding.Json ? WebSocketMessageType.Text : WebSocketMessageType.Binary;
        await _socket.SendAsync(payload, type, true, cts.Token);
    }

    /// <summary>The next server message, or null once the server closed the connection.</summary>
    public async Task<ServerMessage?> ReceiveAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var length = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                break;
            }
        }

        Assert.That(ServerMessageDecoder.TryDecode(Encoding, _buffer.AsMemory(0, length).ToArray(), out var message), Is.True, "a valid server message");
        return message;
    }

    /// <summary>Skips messages until one of <paramref name="type"/> arrives (heartbeats, status and prices may come between).</summary>
    public async Task<ServerMessage> ReceiveAsync(ServerMessageType type)
    {
        while (true)
        {
            var message = await ReceiveAsync();
            Assert.That(message, Is.Not.Null, $"the connection closed while waiting for {type} ({CloseStatus} {CloseDescription})");
            if (message!.Type == type)
            {
                return message;
            }
        }
    }

    /// <summary>Reads until the server closes; returns the close status.</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync()
    {
        try
        {
            while (await ReceiveAsync() is not null)
            {
            }
        }
        catch (WebSocketException)
        {
        }

        return _socket.CloseStatus;
    }

    /// <summary>
    /// Behaves like a well-written front end at shutdown: reads until the server's close frame, answers it with 1000
    /// (completing the close handshake), and returns the server's code and reason.
    /// </summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> AnswerCloseAsync()
    {
        while (await ReceiveAsync() is not null)
        {
        }

        var status = _socket.CloseStatus;
        var reason = _socket.CloseStatusDescription;
        using var cts = new CancellationTokenSource(Timeout);
        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", cts.Token);
        return (status, reason);
    }

    public void Dispose() => _socket.Dispose();
}
