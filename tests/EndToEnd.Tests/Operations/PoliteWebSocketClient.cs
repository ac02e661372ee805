using System.Net;
using System.Net.WebSockets;
using Edge.Protocol.Client;

namespace Edge.EndToEnd.Tests.Operations;

/// <summary>
/// A market-data client on ClientWebSocket that behaves like a well-written front end at shutdown: it reads until the
/// server's close frame and answers it, completing the close handshake. Every wait is bounded.
/// </summary>
internal sealed class PoliteWebSocketClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly ClientWebSocket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];

    private PoliteWebSocketClient(ClientWebSocket socket, ClientEncoding encoding)
    {
        _socket = socket;
        Encoding = encoding;
    }

    public ClientEncoding Encoding { get; }

    public static async Task<PoliteWebSocketClient> ConnectAsync(IPEndPoint endPoint, string token, ClientEncoding encoding)
    {
        var socket = new ClientWebSocket();
        try
        {
            socket.Options.AddSubProtocol(encoding == ClientEncoding.Json ? ClientSubprotocol.Json : ClientSubprotocol.MessagePack);
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            using var cts = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{endPoint.Port}/market-data"), cts.Token);
            return new PoliteWebSocketClient(socket, encoding);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The next message's type (a valid server message is required), or null at the server's close.</summary>
    public async Task<ServerMessageType?> ReceiveTypeAsync()
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
        return message!.Type;
    }

    /// <summary>Reads until the server's close frame, answers it with 1000, and returns the server's code and reason.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> AnswerCloseAsync()
    {
        while (await ReceiveTypeAsync() is not null)
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
