namespace Edge.Protocol.Client;

/// <summary>
/// The encodings of client protocol v1: the two WebSocket ones, chosen per connection by subprotocol, and the
/// Server-Sent Events stream (the JSON messages as <c>text/event-stream</c> events in HTTP/1.1 chunks).
/// </summary>
public enum ClientEncoding : byte
{
    /// <summary><c>edge.v1.msgpack</c>: MessagePack in binary frames (the default).</summary>
    MessagePack = 0,

    /// <summary><c>edge.v1.json</c>: JSON in text frames.</summary>
    Json = 1,

    /// <summary>
    /// <c>GET /market-data/stream</c>: each message is a complete HTTP/1.1 chunk holding one SSE event whose data is
    /// the JSON message (see <see cref="Sse.SseChunk"/>). Not a WebSocket subprotocol.
    /// </summary>
    Sse = 2,

    /// <summary>
    /// <c>/socket.io/?EIO=4&amp;transport=websocket</c>: socket.io v5 over Engine.IO v4 text frames, in the original
    /// gateway's event names and field names (see <see cref="SocketIo.SocketIoPriceEncoder"/>). Not a WebSocket subprotocol.
    /// </summary>
    SocketIo = 3,
}
