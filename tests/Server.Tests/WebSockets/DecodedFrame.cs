using System.Text;
using DotNetty.Buffers;
using Edge.Protocol.WebSockets;

namespace Edge.Server.Tests.WebSockets;

/// <summary>A frame the server wrote, parsed back with the protocol helpers (servers never mask).</summary>
internal sealed record DecodedFrame(bool Fin, WebSocketOpcode Opcode, byte[] Payload)
{
    public string Text => Encoding.UTF8.GetString(Payload);

    /// <summary>The close code of a close frame.</summary>
    public int CloseCode
    {
        get
        {
            Assert.That(Opcode, Is.EqualTo(WebSocketOpcode.Close));
            var status = WebSocketClosePayload.TryRead(Payload, out var code, out _);
            Assert.That(status, Is.EqualTo(WebSocketClosePayloadStatus.Ok));
            return code;
        }
    }

    /// <summary>Parses every frame in <paramref name="buffer"/> and releases it.</summary>
    public static List<DecodedFrame> ReadAll(IByteBuffer buffer)
    {
        try
        {
            var bytes = new byte[buffer.ReadableBytes];
            buffer.GetBytes(buffer.ReaderIndex, bytes);
            return Parse(bytes);
        }
        finally
        {
            buffer.Release();
        }
    }

    public static List<DecodedFrame> Parse(ReadOnlySpan<byte> bytes)
    {
        var frames = new List<DecodedFrame>();
        while (!bytes.IsEmpty)
        {
            var status = WebSocketFrame.TryReadHeader(bytes, expectMasked: false, out var header);
            Assert.That(status, Is.EqualTo(WebSocketFrameHeaderStatus.Ok), "a server frame header");
            var length = (int)header.PayloadLength;
            frames.Add(new DecodedFrame(header.Fin, header.Opcode, bytes.Slice(header.HeaderLength, length).ToArray()));
            bytes = bytes[(header.HeaderLength + length)..];
        }

        return frames;
    }
}
