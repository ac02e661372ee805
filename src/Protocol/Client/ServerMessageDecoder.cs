using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MessagePack;

namespace Edge.Protocol.Client;

/// <summary>
/// Decodes server-to-client messages, for clients (the .NET SDK, end-to-end tests, the capacity
/// harness). Not a hot path: it builds a small tree, then a <see cref="ServerMessage"/>. Never
/// throws on bad input; unknown keys are ignored, as docs/protocol.md asks of clients. Numbers
/// keep their bits: MessagePack float64 is read as is, JSON numbers are parsed from their text.
/// </summary>
public static class ServerMessageDecoder
{
    private const int MaxDepth = 16;

    public static bool TryDecode(ClientEncoding encoding, ReadOnlyMemory<byte> payload, [NotNullWhen(true)] out ServerMessage? message)
    {
        message = null;
        var tree = encoding == ClientEncoding.Json ? ReadJson(payload.Span) : ReadMessagePack(payload);
        return tree is Dictionary<string, object?> map && TryMap(map, out message);
    }

    private static bool TryMap(Dictionary<string, object?> map, [NotNullWhen(true)] out ServerMessage? message)
    {
        message = null;
        switch (map.GetValueOrDefault("type") as string)
        {
            case "price":
                if (!TryPrice(map, out var price))
                {
                    return false;
                }

                message = new ServerMessage { Type = ServerMessageType.Price, Price = price };
                return true;
            case "snapshot":
                if (map.GetValueOrDefault("prices") is not List<object?> items)
                {
                    return false;
                }

                var prices = new List<BestPrice>(items.Count);
                foreach (var item in items)
                {
                    if (item is not Dictionary<string, object?> entry || !TryPrice(entry, out var p))
                    {
                        return false;
                    }

                    prices.Add(p);
                }

                message = new ServerMessage { Type = ServerMessageType.Snapshot, Prices = prices };
                return true;
            case "ack":
                return TryAck(map, out message);
            case "error":
                if (map.GetValueOrDefault("code") is not string code || map.GetValueOrDefault("message") is not string text)
                {
                    return false;
                }

                long? errorId = map.TryGetValue("id", out var rawId) && TryInt64(rawId, out var id) ? id : null;
                message = new ServerMessage { Type = ServerMessageType.Error, Id = errorId, Code = code, Message = text };
                return true;
            case "connected":
                return TryConnected(map, out message);
            case "heartbeat":
                if (!TryInt64(map.GetValueOrDefault("time"), out var time))
                {
                    return false;
                }

                message = new ServerMessage { Type = ServerMessageType.Heartbeat, Time = time };
                return true;
            case "pong":
                if (!TryInt64(map.GetValueOrDefault("id"), out var pongId) || !TryInt64(map.GetValueOrDefault("time"), out var pongTime))
                {
                    return false;
                }

                message = new ServerMessage { Type = ServerMessageType.Pong, Id = pongId, Time = pongTime };
                return true;
            case "status":
                var feed = map.GetValueOrDefault("feed") as string;
                if (feed is not ("up" or "down") || map.GetValueOrDefault("reason") is not string reason)
                {
                    return false;
                }

                message = new ServerMessage { Type = ServerMessageType.Status, Feed = feed == "up" ? FeedState.Up : FeedState.Down, Reason = reason };
                return true;
            case "notice":
                if (map.GetValueOrDefault("message") is not string notice || !TryInt64(map.GetValueOrDefault("time"), out var noticeTime))
                {
                    return false;
                }

                message = new ServerMessage { Type = ServerMessageType.Notice, Message = notice, Time = noticeTime };
                return true;
            default:
                return false;
        }
    }

    private static bool TryPrice(Dictionary<string, object?> map, [NotNullWhen(true)] out BestPrice? price)
    {
        price = null;
        if (map.GetValueOrDefault("symbol") is not string symbol
            || !TryLevel(map.GetValueOrDefault("bid"), out var bid)
            || !TryLevel(map.GetValueOrDefault("ask"), out var ask)
            || !TryDouble(map.GetValueOrDefault("mid"), out var mid)
            || !TryDouble(map.GetValueOrDefault("spread"), out var spread)
            || !TryDouble(map.GetValueOrDefault("spreadBps"), out var spreadBps)
            || !TryInt64(map.GetValueOrDefault("timestamp"), out var timestamp)
            || !TryUInt64(map.GetValueOrDefault("sequence"), out var sequence))
        {
            return false;
        }

        price = new BestPrice(symbol, bid, ask, mid, spread, spreadBps, timestamp, sequence);
        return true;
    }

    private static bool TryLevel(object? value, out PriceLevel level)
    {
        level = default;
        if (value is not Dictionary<string, object?> map
            || !TryDouble(map.GetValueOrDefault("price"), out var p)
            || !TryDouble(map.GetValueOrDefault("size"), out var size)
            || map.GetValueOrDefault("source") is not string source)
        {
            return false;
        }

        level = new PriceLevel(p, size, source);
        return true;
    }

    private static bool TryAck(Dictionary<string, object?> map, [NotNullWhen(true)] out ServerMessage? message)
    {
        message = null;
        var kind = map.ContainsKey("subscribed") ? AckKind.Subscribe : AckKind.Unsubscribe;
        if (!TryInt64(map.GetValueOrDefault("id"), out var id)
            || map.GetValueOrDefault(kind == AckKind.Subscribe ? "subscribed" : "unsubscribed") is not List<object?> symbols
            || map.GetValueOrDefault("errors") is not List<object?> errors)
        {
            return false;
        }

        var names = new List<string>(symbols.Count);
        foreach (var symbol in symbols)
        {
            if (symbol is not string name)
            {
                return false;
            }

            names.Add(name);
        }

        var refused = new List<SymbolError>(errors.Count);
        foreach (var error in errors)
        {
            if (error is not Dictionary<string, object?> entry
                || entry.GetValueOrDefault("symbol") is not string symbol
                || entry.GetValueOrDefault("code") is not string code
                || entry.GetValueOrDefault("message") is not string text)
            {
                return false;
            }

            refused.Add(new SymbolError(symbol, ErrorCodes.TryParse(code, out var known) ? known.Value : default, text));
        }

        message = new ServerMessage { Type = ServerMessageType.Ack, Id = id, AckKind = kind, Symbols = names, Errors = refused };
        return true;
    }

    private static bool TryConnected(Dictionary<string, object?> map, [NotNullWhen(true)] out ServerMessage? message)
    {
        message = null;
        if (map.GetValueOrDefault("clientId") is not string clientId
            || !TryInt64(map.GetValueOrDefault("serverTime"), out var serverTime)
            || !TryInt32(map.GetValueOrDefault("heartbeatInterval"), out var heartbeat)
            || map.GetValueOrDefault("limits") is not Dictionary<string, object?> limits
            || !TryInt32(limits.GetValueOrDefault("maxSubscriptions"), out var maxSubscriptions)
            || !TryInt32(limits.GetValueOrDefault("maxSymbolsPerRequest"), out var maxSymbols)
            || !TryInt32(limits.GetValueOrDefault("maxMessageBytes"), out var maxBytes)
            || !TryInt32(limits.GetValueOrDefault("maxMessagesPerSecond"), out var maxRate))
        {
            return false;
        }

        message = new ServerMessage
        {
            Type = ServerMessageType.Connected,
            ClientId = clientId,
            ServerTime = serverTime,
            HeartbeatInterval = heartbeat,
            Limits = new ConnectionLimits(maxSubscriptions, maxSymbols, maxBytes, maxRate),
        };
        return true;
    }

    // ---- Numbers: MessagePack gives long/ulong/double; JSON keeps the token text so doubles parse exactly.

    private static bool TryDouble(object? value, out double result)
    {
        switch (value)
        {
            case double d:
                result = d;
                return true;
            case long l:
                result = l;
                return true;
            case ulong u:
                result = u;
                return true;
            case JsonNumber n:
                return double.TryParse(n.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out result);
            default:
                result = 0;
                return false;
        }
    }

    private static bool TryInt64(object? value, out long result)
    {
        switch (value)
        {
            case long l:
                result = l;
                return true;
            case ulong u when u <= long.MaxValue:
                result = (long)u;
                return true;
            case JsonNumber n:
                return long.TryParse(n.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out result);
            default:
                result = 0;
                return false;
        }
    }

    private static bool TryUInt64(object? value, out ulong result)
    {
        switch (value)
        {
            case ulong u:
                result = u;
                return true;
            case long l when l >= 0:
                result = (ulong)l;
                return true;
            case JsonNumber n:
                return ulong.TryParse(n.Text, NumberStyles.None, CultureInfo.InvariantCulture, out result);
            default:
                result = 0;
                return false;
        }
    }

    private static bool TryInt32(object? value, out int result)
    {
        result = 0;
        if (!TryInt64(value, out var wide) || wide is < int.MinValue or > int.MaxValue)
        {
            return false;
        }

        result = (int)wide;
        return true;
    }

    // ---- Trees. Maps are Dictionary<string, object?> (duplicate keys refuse the message), arrays List<object?>.

    private static object? ReadJson(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            var root = reader.Read() ? ReadJsonValue(ref reader) : null;
            return reader.Read() ? null : root;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            // ArgumentException: a duplicate key (Dictionary.Add).
            return null;
        }
    }

    private static object? ReadJsonValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = reader.GetString()!;
                    reader.Read();
                    map.Add(key, ReadJsonValue(ref reader));
                }

                return map;
            case JsonTokenType.StartArray:
                var list = new List<object?>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    list.Add(ReadJsonValue(ref reader));
                }

                return list;
            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return new JsonNumber(Encoding.UTF8.GetString(reader.ValueSpan));
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            default:
                return null;
        }
    }

    private static object? ReadMessagePack(ReadOnlyMemory<byte> payload)
    {
        // The structure check bounds depth and sizes, so the recursive reader below cannot run away.
        if (!MessagePackStructure.IsWellFormed(payload.Span, MaxDepth))
        {
            return null;
        }

        var reader = new MessagePackReader(payload);
        try
        {
            return ReadMessagePackValue(ref reader);
        }
        catch (Exception e) when (e is MessagePackSerializationException or EndOfStreamException or OverflowException or ArgumentException)
        {
            return null;
        }
    }

    private static object? ReadMessagePackValue(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Map:
                var count = reader.ReadMapHeader();
                var map = new Dictionary<string, object?>(count, StringComparer.Ordinal);
                for (var i = 0; i < count; i++)
                {
                    if (reader.NextMessagePackType != MessagePackType.String)
                    {
                        throw new MessagePackSerializationException("keys must be strings");
                    }

                    var key = reader.ReadString()!;
                    map.Add(key, ReadMessagePackValue(ref reader));
                }

                return map;
            case MessagePackType.Array:
                var length = reader.ReadArrayHeader();
                var list = new List<object?>(length);
                for (var i = 0; i < length; i++)
                {
                    list.Add(ReadMessagePackValue(ref reader));
                }

                return list;
            case MessagePackType.String:
                return reader.ReadString();
            case MessagePackType.Integer:
                return reader.NextCode == MessagePackCode.UInt64 ? reader.ReadUInt64() : reader.ReadInt64();
            case MessagePackType.Float:
                return reader.ReadDouble();
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            default:
                reader.Skip();
                return null;
        }
    }

    /// <summary>A JSON number kept as its text until the field's type is known.</summary>
    private sealed record JsonNumber(string Text);
}
