using System.Net.Sockets;
using Edge.Perf.Clients;

namespace Edge.Perf.Tests;

/// <summary>Raw socket reads and writes for the reference servers' tests: whole sends, and one server frame at a time.</summary>
internal static class ServerFrameReader
{
    /// <summary>Sends every byte of <paramref name="bytes"/>.</summary>
    public static async Task SendAllAsync(Socket socket, byte[] bytes)
    {
        var sent = 0;
        while (sent < bytes.Length)
        {
            sent += await socket.SendAsync(bytes.AsMemory(sent), SocketFlags.None);
        }
    }

    /// <summary>Reads exactly one server frame within <paramref name="timeout"/>: the whole frame, its header length and opcode.</summary>
    public static async Task<(byte[] Frame, int HeaderLength, byte Opcode)> ReadFrameAsync(Socket socket, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var header = new byte[10];
        await ReadExactlyAsync(socket, header.AsMemory(0, 2), cancel.Token);
        var extra = (header[1] & 0x7F) switch { 126 => 2, 127 => 8, _ => 0 };
        await ReadExactlyAsync(socket, header.AsMemory(2, extra), cancel.Token);
        var total = (int)WebSocketClientProtocol.FrameLength(header.AsSpan(0, 2 + extra), out var headerLength, out var opcode);
        var frame = new byte[total];
        header.AsSpan(0, headerLength).CopyTo(frame);
        await ReadExactlyAsync(socket, frame.AsMemory(headerLength), cancel.Token);
        return (frame, headerLength, opcode);
    }

    private static async Task ReadExactlyAsync(Socket socket, Memory<byte> into, CancellationToken cancel)
    {
        var at = 0;
        while (at < into.Length)
        {
            var n = await socket.ReceiveAsync(into[at..], SocketFlags.None, cancel);
            Assert.That(n, Is.GreaterThan(0), "the server closed the connection");
            at += n;
        }
    }
}
