namespace Edge.Protocol.WebSockets;

/// <summary>A parsed RFC 6455 frame header (see <see cref="WebSocketFrame.TryReadHeader"/>).</summary>
public readonly record struct WebSocketFrameHeader(
    bool Fin,
    WebSocketOpcode Opcode,
    bool Masked,
    uint MaskKey,
    long PayloadLength,
    int HeaderLength)
{
    /// <summary>True for close, ping and pong: at most 125 bytes, never fragmented.</summary>
    public bool IsControl => ((byte)Opcode & 0x8) != 0;

    /// <summary>Header plus payload: the bytes the whole frame occupies on the wire.</summary>
    public long FrameLength => HeaderLength + PayloadLength;
}
