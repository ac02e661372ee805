using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Edge.EndToEnd.Tests.WebSockets;

namespace Edge.EndToEnd.Tests.Operations;

/// <summary>
/// A JSON market-data client over a raw socket with a tiny receive buffer that subscribes and then never reads:
/// the slow consumer the fan-out must close with 4008. Over TLS (wss) when given a certificate check. Every wait is bounded.
/// </summary>
internal sealed class StalledSubscriber : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly Stream _stream;

    private StalledSubscriber(Stream stream)
    {
        _stream = stream;
    }

    public static async Task<StalledSubscriber> SubscribeAsync(
        IPEndPoint endPoint, string token, string symbol, RemoteCertificateValidationCallback? tls = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
        Stream? stream = null;
        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(endPoint, cts.Token);
            stream = new NetworkStream(socket, ownsSocket: true);
            if (tls is not null)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false, tls);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" }, cts.Token);
            }

            var request = "GET /market-data HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + $"Sec-WebSocket-Key: {RawWebSocket.Key}\r\nSec-WebSocket-Protocol: edge.v1.json\r\nAuthorization: Bearer {token}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cts.Token);
            var head = new List<byte>();
            var buffer = new byte[1];
            while (head.Count < 4 || !head.GetRange(head.Count - 4, 4).SequenceEqual("\r\n\r\n"u8.ToArray()))
            {
                Assert.That(await stream.ReadAsync(buffer, cts.Token), Is.EqualTo(1), "the handshake response arrives");
                head.Add(buffer[0]);
            }

            Assert.That(Encoding.ASCII.GetString([.. head]), Does.StartWith("HTTP/1.1 101"));
            await stream.WriteAsync(WireFrame.Text($"{{\"type\":\"subscribe\",\"id\":1,\"symbols\":[\"{symbol}\"]}}"), cts.Token);
            return new StalledSubscriber(stream);
        }
        catch
        {
            stream?.Dispose();
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Starts reading at last: every frame the server sent, until the server's close frame, the end of the
    /// connection, or a price with <paramref name="untilSequence"/>. Returns the price sequences seen (snapshot
    /// included) and the close code (null when it stopped at the sequence, 1006 when TCP ended without a close frame).
    /// </summary>
    public async Task<(List<ulong> Sequences, int? CloseCode)> ReadAsync(ulong untilSequence = ulong.MaxValue)
    {
        using var cts = new CancellationTokenSource(Timeout * 3);
        var sequences = new List<ulong>();
        var buffer = new byte[1 << 16];
        int start = 0, end = 0;
        while (true)
        {
            while (TryFrame(buffer.AsSpan(start, end - start), out var opcode, out var payloadOffset, out var payloadLength))
            {
                var payload = buffer.AsMemory(start + payloadOffset, payloadLength);
                start += payloadOffset + payloadLength;
                if (opcode == 8)
                {
                    return (sequences, payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload.Span) : 1005);
                }

                if (opcode == 1 && CollectSequences(payload, sequences) && sequences[^1] >= untilSequence)
                {
                    return (sequences, null);
                }
            }

            // Keep the unparsed tail at the front; grow only for a frame larger than the buffer.
            buffer.AsSpan(start, end - start).CopyTo(buffer);
            end -= start;
            start = 0;
            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(buffer.AsMemory(end), cts.Token);
            }
            catch (IOException)
            {
                // A reset, or (TLS) a record cut short: the stream ended without a close frame.
                read = 0;
            }

            if (read == 0)
            {
                return (sequences, 1006);
            }

            end += read;
        }
    }

    public void Dispose() => _stream.Dispose();

    /// <summary>An unmasked server frame's header, if the whole frame is in <paramref name="bytes"/>.</summary>
    private static bool TryFrame(ReadOnlySpan<byte> bytes, out int opcode, out int payloadOffset, out int payloadLength)
    {
        opcode = payloadOffset = payloadLength = 0;
        if (bytes.Length < 2)
        {
            return false;
        }

        opcode = bytes[0] & 0x0f;
        long length = bytes[1] & 0x7f;
        payloadOffset = 2;
        if (length == 126)
        {
            if (bytes.Length < 4)
            {
                return false;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
            payloadOffset = 4;
        }
        else if (length == 127)
        {
            if (bytes.Length < 10)
            {
                return false;
            }

            length = (long)BinaryPrimitives.ReadUInt64BigEndian(bytes[2..]);
            payloadOffset = 10;
        }

        payloadLength = (int)length;
        return bytes.Length >= payloadOffset + length;
    }

    /// <summary>Adds the sequences of a JSON price or snapshot message; true when it had any.</summary>
    private static bool CollectSequences(ReadOnlyMemory<byte> json, List<ulong> sequences)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        switch (root.GetProperty("type").GetString())
        {
            case "price":
                sequences.Add(root.GetProperty("sequence").GetUInt64());
                return true;
            case "snapshot":
                var before = sequences.Count;
                foreach (var price in root.GetProperty("prices").EnumerateArray())
                {
                    sequences.Add(price.GetProperty("sequence").GetUInt64());
                }

                return sequences.Count > before;
            default:
                return false;
        }
    }
}
