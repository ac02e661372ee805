using System.Buffers.Binary;
using System.Text;
using Edge.Protocol.WebSockets;

namespace Edge.EndToEnd.Tests.WebSockets;

/// <summary>One frame on the wire: built masked as a client sends it, or parsed from what the server sent.</summary>
internal sealed record WireFrame(bool Fin, WebSocketOpcode Opcode, byte[] Payload)
{
    public const uint MaskKey = 0xa1b2c3d4;

    public string PayloadText => Encoding.UTF8.GetString(Payload);

    /// <summary>The code of a close frame (1005 when it carries none).</summary>
    public int CloseCode => Opcode == WebSocketOpcode.Close && Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Payload) : 1005;

    public static byte[] Text(string text, bool fin = true) => Masked(WebSocketOpcode.Text, Encoding.UTF8.GetBytes(text), fin);

    public static byte[] Binary(byte[] payload, bool fin = true) => Masked(WebSocketOpcode.Binary, payload, fin);

    public static byte[] Continuation(byte[] payload, bool fin) => Masked(WebSocketOpcode.Continuation, payload, fin);

    public static byte[] Close(int code, string reason = "")
    {
        var reasonBytes = Encoding.UTF8.GetBytes(reason);
        var payload = new byte[2 + reasonBytes.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        reasonBytes.CopyTo(payload, 2);
        return Masked(WebSocketOpcode.Close, payload);
    }

    /// <summary>A masked client frame in the minimal length form.</summary>
    public static byte[] Masked(WebSocketOpcode opcode, byte[] payload, bool fin = true)
    {
        Span<byte> header = stackalloc byte[WebSocketFrame.MaxHeaderLength];
        var headerLength = WebSocketFrame.WriteMaskedHeader(header, opcode, payload.Length, MaskKey, fin);
        var frame = new byte[headerLength + payload.Length];
        header[..headerLength].CopyTo(frame);
        payload.CopyTo(frame, headerLength);
        WebSocketMask.Apply(frame.AsSpan(headerLength), MaskKey);
        return frame;
    }

    /// <summary>Any first byte (FIN, RSV, opcode), masked or not, 7-bit length: the hostile frames.</summary>
    public static byte[] Raw(int firstByte, byte[] payload, bool masked = true)
    {
        var headerLength = masked ? 6 : 2;
        var frame = new byte[headerLength + payload.Length];
        frame[0] = (byte)firstByte;
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

    /// <summary>Parses one server frame at the start of <paramref name="bytes"/>; null when incomplete.</summary>
    public static WireFrame? TryParse(ReadOnlySpan<byte> bytes, out int consumed)
    {
        consumed = 0;
        var status = WebSocketFrame.TryReadHeader(bytes, expectMasked: false, out var header);
        if (status == WebSocketFrameHeaderStatus.Incomplete || (status == WebSocketFrameHeaderStatus.Ok && bytes.Length < header.FrameLength))
        {
            return null;
        }

        if (status != WebSocketFrameHeaderStatus.Ok)
        {
            throw new InvalidDataException("the server sent a malformed frame: " + status);
        }

        consumed = (int)header.FrameLength;
        return new WireFrame(header.Fin, header.Opcode, bytes.Slice(header.HeaderLength, (int)header.PayloadLength).ToArray());
    }

    public override string ToString() => Opcode == WebSocketOpcode.Close ? $"close {CloseCode}" : $"{Opcode} {Payload.Length} B";
}
