namespace Edge.Protocol.Client;

/// <summary>
/// <c>Sec-WebSocket-Protocol</c> negotiation for client protocol v1 (docs/protocol.md,
/// "Subprotocol negotiation").
/// </summary>
public static class ClientSubprotocol
{
    public const string MessagePack = "edge.v1.msgpack";

    public const string Json = "edge.v1.json";

    /// <summary>
    /// Picks the encoding from the client's offer: the first token of <paramref name="offered"/>
    /// (comma-separated, all header values joined with ',') that Edge supports, in the client's order.
    /// No header (null or blank) means MessagePack with no subprotocol echoed back. Returns false
    /// when tokens were offered but none is supported: refuse the handshake (HTTP 400), since a
    /// browser fails a connection whose response echoes none of its tokens anyway.
    /// </summary>
    public static bool TryNegotiate(string? offered, out ClientEncoding encoding, out string? selected)
    {
        encoding = ClientEncoding.MessagePack;
        selected = null;
        if (string.IsNullOrWhiteSpace(offered))
        {
            return true;
        }

        foreach (var range in offered.AsSpan().Split(','))
        {
            var token = offered.AsSpan()[range].Trim(" \t");
            if (token.SequenceEqual(MessagePack))
            {
                selected = MessagePack;
                return true;
            }

            if (token.SequenceEqual(Json))
            {
                encoding = ClientEncoding.Json;
                selected = Json;
                return true;
            }
        }

        return false;
    }

    /// <summary>The token of an encoding.</summary>
    public static string TokenOf(ClientEncoding encoding) => encoding == ClientEncoding.Json ? Json : MessagePack;
}
