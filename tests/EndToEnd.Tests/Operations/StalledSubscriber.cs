using System.Net;
using System.Net.Sockets;
using System.Text;
using Edge.EndToEnd.Tests.WebSockets;

namespace Edge.EndToEnd.Tests.Operations;

/// <summary>
/// A JSON market-data client over a raw socket with a tiny receive buffer that subscribes and then never reads:
/// the slow consumer the fan-out must close with 4008. Every wait is bounded.
/// </summary>
internal sealed class StalledSubscriber : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly Socket _socket;

    private StalledSubscriber(Socket socket)
    {
        _socket = socket;
    }

    public static async Task<StalledSubscriber> SubscribeAsync(IPEndPoint endPoint, string token, string symbol)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(endPoint, cts.Token);
            var request = "GET /market-data HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + $"Sec-WebSocket-Key: {RawWebSocket.Key}\r\nSec-WebSocket-Protocol: edge.v1.json\r\nAuthorization: Bearer {token}\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cts.Token);
            var head = new List<byte>();
            var buffer = new byte[1];
            while (head.Count < 4 || !head.GetRange(head.Count - 4, 4).SequenceEqual("\r\n\r\n"u8.ToArray()))
            {
                Assert.That(await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token), Is.EqualTo(1), "the handshake response arrives");
                head.Add(buffer[0]);
            }

            Assert.That(Encoding.ASCII.GetString([.. head]), Does.StartWith("HTTP/1.1 101"));
            await socket.SendAsync(WireFrame.Text($"{{\"type\":\"subscribe\",\"id\":1,\"symbols\":[\"{symbol}\"]}}"), SocketFlags.None, cts.Token);
            return new StalledSubscriber(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _socket.Dispose();
}
