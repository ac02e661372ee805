using Edge.Protocol.WebSockets;

namespace Edge.Protocol.Client;

/// <summary>Wraps a server message payload in its WebSocket frame: binary for MessagePack, text for JSON and socket.io.</summary>
public static class MessageFraming
{
    public static WebSocketOpcode OpcodeOf(ClientEncoding encoding) =>
        encoding is ClientEncoding.Json or ClientEncoding.SocketIo ? WebSocketOpcode.Text : WebSocketOpcode.Binary;

    /// <summary>Writes header and payload into <paramref name="destination"/>; returns the frame length.</summary>
    public static int Write(Span<byte> destination, ClientEncoding encoding, ReadOnlySpan<byte> payload)
    {
        var header = WebSocketFrame.WriteHeader(destination, OpcodeOf(encoding), payload.Length);
        payload.CopyTo(destination[header..]);
        return header + payload.Length;
    }

    /// <summary>A new array holding the frame: for the rare messages (acks, errors, status), not prices.</summary>
    public static byte[] Build(ClientEncoding encoding, ReadOnlySpan<byte> payload)
    {
        var frame = new byte[WebSocketFrame.GetHeaderLength(payload.Length) + payload.Length];
        Write(frame, encoding, payload);
        return frame;
    }
}
