using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Edge.Protocol.Client;

namespace Edge.Client.Tests.Support;

/// <summary>
/// A minimal WebSocket server on 127.0.0.1:0 for behaviours Edge does not produce on demand: it accepts the
/// handshake (JSON subprotocol), sends a <c>connected</c> message, then either closes with a given code or falls
/// silent (no heartbeats). Counts connections. Dispose closes everything.
/// </summary>
internal sealed class ScriptedServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<TcpClient> _clients = [];
    private readonly ushort? _closeCode;
    private readonly int _heartbeatMs;
    private int _connections;

    /// <param name="closeCode">Close with this code after <c>connected</c>; null: stay silent.</param>
    /// <param name="heartbeatMs">The heartbeat interval announced in <c>connected</c>.</param>
    public ScriptedServer(ushort? closeCode, int heartbeatMs = 30_000)
    {
        _closeCode = closeCode;
        _heartbeatMs = heartbeatMs;
        _listener.Start();
        _ = AcceptAsync();
    }

    public Uri Url => new($"ws://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/market-data");

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The bearer tokens of the handshakes, in order.</summary>
    public ConcurrentQueue<string> Tokens { get; } = new();

    public void Dispose()
    {
        _listener.Stop();
        foreach (var client in _clients)
        {
            client.Dispose();
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync();
                _clients.Add(client);
                _ = ServeAsync(client);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped.
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        try
        {
            var stream = client.GetStream();
            var request = new StringBuilder();
            var buffer = new byte[4096];
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer);
                if (read == 0)
                {
                    return;
                }

                request.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            var authorization = request.ToString().Split("\r\n").FirstOrDefault(l => l.StartsWith("Authorization: Bearer ", StringComparison.OrdinalIgnoreCase));
            if (authorization is not null)
            {
                Tokens.Enqueue(authorization["Authorization: Bearer ".Length..].Trim());
            }

            var key = request.ToString().Split("\r\n").First(l => l.StartsWith("Sec-WebSocket-Key:", StringComparison.OrdinalIgnoreCase))[18..].Trim();
            var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
            var response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + $"Sec-WebSocket-Accept: {accept}\r\nSec-WebSocket-Protocol: {ClientSubprotocol.Json}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response));

            var connected = new ArrayBufferWriter<byte>();
            ServerMessageWriter.WriteConnected(connected, ClientEncoding.Json, "scripted", 0, _heartbeatMs, new ConnectionLimits(100, 100, 16384, 20));
            await stream.WriteAsync(Frame(0x81, connected.WrittenSpan));
            Interlocked.Increment(ref _connections);
            if (_closeCode is { } code)
            {
                var payload = new byte[2];
                BinaryPrimitives.WriteUInt16BigEndian(payload, code);
                await stream.WriteAsync(Frame(0x88, payload));
            }

            // Read (and ignore) whatever the client sends until it goes away.
            while (await stream.ReadAsync(buffer) > 0)
            {
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // The client or the test closed the connection.
        }
    }

    private static byte[] Frame(byte first, ReadOnlySpan<byte> payload)
    {
        var header = payload.Length < 126 ? 2 : 4;
        var frame = new byte[header + payload.Length];
        frame[0] = first;
        if (header == 2)
        {
            frame[1] = (byte)payload.Length;
        }
        else
        {
            frame[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }

        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }
}
