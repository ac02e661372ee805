using System.Net;
using System.Net.Sockets;
using System.Text;
using Edge.Protocol;
using Edge.Protocol.Client;

namespace Edge.Server.Tests.FanOut;

/// <summary>A raw-socket client that subscribes with one line and reads unmasked server frames.</summary>
internal sealed class FrameClient : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly Socket _socket;
    private readonly ClientEncoding _encoding;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private FrameClient(Socket socket, ClientEncoding encoding)
    {
        _socket = socket;
        _encoding = encoding;
    }

    public static async Task<FrameClient> SubscribeAsync(IPEndPoint endPoint, ClientEncoding encoding, string symbols, int maxRate = 0, int receiveBuffer = 0)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (receiveBuffer > 0)
        {
            socket.ReceiveBufferSize = receiveBuffer;
        }

        using var cts = new CancellationTokenSource(Timeout);
        await socket.ConnectAsync(endPoint, cts.Token);
        var client = new FrameClient(socket, encoding);
        var line = $"{(encoding == ClientEncoding.Json ? "json" : "msgpack")}|{symbols}|{maxRate}\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(line), SocketFlags.None, cts.Token);
        return client;
    }

    /// <summary>Prices up to the READY marker: the snapshot.</summary>
    public async Task<List<BestPrice>> ReadSnapshotAsync()
    {
        var prices = new List<BestPrice>();
        while (true)
        {
            var payload = await ReadFrameAsync() ?? throw new IOException("closed before READY");
            if (payload.AsSpan().SequenceEqual("READY"u8))
            {
                return prices;
            }

            prices.Add(Decode(payload));
        }
    }

    /// <summary>The next price, or null when the server closed the connection.</summary>
    public async Task<BestPrice?> ReadPriceAsync()
    {
        var payload = await ReadFrameAsync();
        return payload is null ? null : Decode(payload);
    }

    public void Dispose() => _socket.Dispose();

    private BestPrice Decode(byte[] payload)
    {
        Assert.That(ServerMessageDecoder.TryDecode(_encoding, payload, out var message), Is.True, "a well-formed server message");
        Assert.That(message!.Type, Is.EqualTo(ServerMessageType.Price));
        return message.Price!;
    }

    private async Task<byte[]?> ReadFrameAsync()
    {
        if (!await FillAsync(2))
        {
            return null;
        }

        var length = _buffer[_start + 1] & 0x7F;
        var header = 2;
        if (length == 126)
        {
            if (!await FillAsync(4))
            {
                return null;
            }

            length = (_buffer[_start + 2] << 8) | _buffer[_start + 3];
            header = 4;
        }

        if (!await FillAsync(header + length))
        {
            return null;
        }

        var payload = _buffer.AsSpan(_start + header, length).ToArray();
        _start += header + length;
        return payload;
    }

    private async Task<bool> FillAsync(int count)
    {
        while (_end - _start < count)
        {
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            using var cts = new CancellationTokenSource(Timeout);
            int read;
            try
            {
                read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cts.Token);
            }
            catch (SocketException)
            {
                return false;
            }

            if (read == 0)
            {
                return false;
            }

            _end += read;
        }

        return true;
    }
}
