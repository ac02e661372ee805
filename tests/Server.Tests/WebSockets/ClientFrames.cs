using System.Buffers.Binary;
using System.Text;
using Edge.Protocol.WebSockets;

namespace Edge.Server.Tests.WebSockets;

/// <summary>Hand-made client frames, including ones no honest client would send.</summary>
internal static class ClientFrames
{
    public const uint MaskKey = 0x37fa213d;

    public static byte[] Text(string text, bool fin = true) => Frame(WebSocketOpcode.Text, Encoding.UTF8.GetBytes(text), fin);

    public static byte[] Binary(byte[] payload, bool fin = true) => Frame(WebSocketOpcode.Binary, payload, fin);

    public static byte[] Continuation(byte[] payload, bool fin) => Frame(WebSocketOpcode.Continuation, payload, fin);

    public static byte[] Ping(byte[] payload) => Frame(WebSocketOpcode.Ping, payload);

    public static byte[] Pong(byte[] payload) => Frame(WebSocketOpcode.Pong, payload);

    public static byte[] Close(ushort code, string reason = "")
    {
        var reasonBytes = Encoding.UTF8.GetBytes(reason);
        var payload = new byte[2 + reasonBytes.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        reasonBytes.CopyTo(payload, 2);
        return Frame(WebSocketOpcode.Close, payload);
    }

    /// <summary>A masked frame with the minimal length form.</summary>
    public static byte[] Frame(WebSocketOpcode opcode, byte[] payload, bool fin = true, uint maskKey = MaskKey)
    {
        var header = new byte[WebSocketFrame.MaxHeaderLength];
        var headerLength = WebSocketFrame.WriteMaskedHeader(header, opcode, payload.Length, maskKey, fin);
        var frame = new byte[headerLength + payload.Length];
        header.AsSpan(0, headerLength).CopyTo(frame);
        payload.CopyTo(frame, headerLength);
        WebSocketMask.Apply(frame.AsSpan(headerLength), maskKey);
        return frame;
    }

    /// <summary>Any first byte (FIN, RSV bits, opcode), masked or not, with a 7-bit length: for hostile frames.</summary>
    public static byte[] Raw(byte firstByte, byte[] payload, bool masked = true)
    {
        if (payload.Length > 125)
        {
            throw new ArgumentException("raw frames keep to 7-bit lengths", nameof(payload));
        }

        var headerLength = masked ? 6 : 2;
        var frame = new byte[headerLength + payload.Length];
        frame[0] = firstByte;
        frame[1] = (byte)((masked ? 0x80 : 0) | payload.Length);
        if (masked)
        {
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(2), MaskKey);
        }

        payload.CopyTo(frame, headerLength);
        if (masked)
        {
            WebSocketMask.Apply(frame.AsSpan(headerLength), MaskKey);
        }

        return frame;
    }

    public static byte[] Concat(params byte[][] parts)
    {
        var all = new byte[parts.Sum(p => p.Length)];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(all, at);
            at += part.Length;
        }

        return all;
    }
}
