using System.Text;
using Edge.Perf.Feed;
using Edge.Protocol.WebSockets;

namespace Edge.Perf.Clients;

/// <summary>
/// The tool's socket.io client: Engine.IO v4 over WebSocket at <c>/socket.io/</c>, the namespace joined right behind
/// the upgrade with the token in the CONNECT's auth (as the original SDK does), the subscribe emitted once the
/// namespace's CONNECT reply arrives (as socket.io-client waits: a socket.io server on Node drops an event for a
/// namespace whose middleware has not finished), pings answered, prices read from the <c>price</c> events' JSON
/// (timestamps are milliseconds there).
/// </summary>
internal static class SocketIoClientProtocol
{
    private static ReadOnlySpan<byte> PricePrefix => "42/market-data,[\"price\","u8;

    private static ReadOnlySpan<byte> AckPrefix => "43/market-data,"u8;

    private static ReadOnlySpan<byte> JoinedPrefix => "40/market-data,"u8;

    public static byte[] UpgradeRequest(string hostAndPort) => Encoding.ASCII.GetBytes(
        $"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {hostAndPort}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");

    /// <summary>The masked CONNECT to <c>/market-data</c> with <c>{"token":…}</c> as its auth payload.</summary>
    public static byte[] ConnectFrame(string token, Random random) =>
        WebSocketClientProtocol.MaskedFrame((byte)WebSocketOpcode.Text, Encoding.ASCII.GetBytes($"40/market-data,{{\"token\":\"{token}\"}}"), random);

    /// <summary>The masked <c>subscribe</c> event with ack id 1 (empty: no symbols, nothing to send).</summary>
    public static byte[] SubscribeFrame(int[] symbols, Random random)
    {
        if (symbols.Length == 0)
        {
            return [];
        }

        var json = new StringBuilder("42/market-data,1[\"subscribe\",{\"symbols\":[");
        for (var i = 0; i < symbols.Length; i++)
        {
            json.Append(i == 0 ? "\"" : ",\"").Append(PriceFeed.SymbolName(symbols[i])).Append('"');
        }

        json.Append("]}]");
        return WebSocketClientProtocol.MaskedFrame((byte)WebSocketOpcode.Text, Encoding.ASCII.GetBytes(json.ToString()), random);
    }

    /// <summary>The pong (<c>3</c>) to an Engine.IO ping.</summary>
    public static byte[] Pong(Random random) => WebSocketClientProtocol.MaskedFrame((byte)WebSocketOpcode.Text, "3"u8, random);

    public static bool IsPing(ReadOnlySpan<byte> payload) => payload.Length == 1 && payload[0] == (byte)'2';

    /// <summary>Classifies a text packet; for a price, reads symbol, timestamp (ms, returned in ns) and sequence.</summary>
    public static ServerMessageKind Read(ReadOnlySpan<byte> payload, out PriceFields price)
    {
        price = default;
        if (payload.StartsWith(PricePrefix))
        {
            var json = payload[PricePrefix.Length..];
            var symbol = SseClientProtocol.ValueAfter(json, "\"symbol\":\""u8);
            var timestamp = SseClientProtocol.ValueAfter(json, "\"timestamp\":"u8);
            var sequence = SseClientProtocol.ValueAfter(json, "\"sequence\":"u8);
            var quote = symbol.IndexOf((byte)'"');
            if (symbol.IsEmpty || timestamp.IsEmpty || sequence.IsEmpty || quote < 0)
            {
                return ServerMessageKind.Malformed;
            }

            price.Symbol = WebSocketClientProtocol.SymbolIndex(symbol[..quote]);
            price.Timestamp = (long)SseClientProtocol.ParseDecimal(timestamp) * 1_000_000;
            price.Sequence = SseClientProtocol.ParseDecimal(sequence);
            return ServerMessageKind.Price;
        }

        if (payload.StartsWith(AckPrefix))
        {
            return payload.IndexOf("\"errors\":[]"u8) >= 0 ? ServerMessageKind.Ack : ServerMessageKind.AckWithErrors;
        }

        if (payload.StartsWith(JoinedPrefix))
        {
            return ServerMessageKind.Joined;
        }

        if (payload.StartsWith("42/market-data,[\"snapshot\""u8))
        {
            return ServerMessageKind.Snapshot;
        }

        return payload.StartsWith("44"u8) || payload.StartsWith("42/market-data,[\"error\""u8) ? ServerMessageKind.Error : ServerMessageKind.Other;
    }
}
