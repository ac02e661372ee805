namespace Edge.Protocol.Client;

/// <summary>The two encodings of client protocol v1, chosen per connection by subprotocol.</summary>
public enum ClientEncoding : byte
{
    /// <summary><c>edge.v1.msgpack</c>: MessagePack in binary frames (the default).</summary>
    MessagePack = 0,

    /// <summary><c>edge.v1.json</c>: JSON in text frames.</summary>
    Json = 1,
}
