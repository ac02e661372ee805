using System.Buffers;
using System.Text;
using System.Text.Json;
using MessagePack;

namespace Edge.Protocol.Client;

/// <summary>
/// Writes the server-to-client messages that are not on the hot path (connected, ack, error,
/// snapshot, heartbeat, pong, status, notice, and price from a <see cref="BestPrice"/>) as a payload into
/// an <see cref="IBufferWriter{T}"/>, in either encoding; the WebSocket layer frames it (binary
/// for MessagePack, text for JSON). Same keys, same order, same value types in both encodings.
/// Thread-safe (the JSON writer is cached per thread).
/// </summary>
public static class ServerMessageWriter
{
    // Parks the cached JSON writer between calls so it holds no reference to a caller's buffer.
    private static readonly ArrayBufferWriter<byte> Parked = new(1);

    [ThreadStatic]
    private static Utf8JsonWriter? _json;

    public static void WriteConnected(
        IBufferWriter<byte> output, ClientEncoding encoding, string clientId, long serverTime, int heartbeatIntervalMs, in ConnectionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        if (encoding == ClientEncoding.MessagePack)
        {
            var w = new MessagePackWriter(output);
            w.WriteMapHeader(5);
            Key(ref w, "type"u8, "connected"u8);
            w.WriteString("clientId"u8);
            w.Write(clientId);
            w.WriteString("serverTime"u8);
            w.Write(serverTime);
            w.WriteString("heartbeatInterval"u8);
            w.Write(heartbeatIntervalMs);
            w.WriteString("limits"u8);
            w.WriteMapHeader(4);
            w.WriteString("maxSubscriptions"u8);
            w.Write(limits.MaxSubscriptions);
            w.WriteString("maxSymbolsPerRequest"u8);
            w.Write(limits.MaxSymbolsPerRequest);
            w.WriteString("maxMessageBytes"u8);
            w.Write(limits.MaxMessageBytes);
            w.WriteString("maxMessagesPerSecond"u8);
            w.Write(limits.MaxMessagesPerSecond);
            w.Flush();
            return;
        }

        var j = Json(output);
        j.WriteStartObject();
        j.WriteString(WireNames.Type, WireNames.Connected);
        j.WriteString(WireNames.ClientId, clientId);
        j.WriteNumber(WireNames.ServerTime, serverTime);
        j.WriteNumber(WireNames.HeartbeatInterval, heartbeatIntervalMs);
        j.WriteStartObject(WireNames.Limits);
        j.WriteNumber(WireNames.MaxSubscriptions, limits.MaxSubscriptions);
        j.WriteNumber(WireNames.MaxSymbolsPerRequest, limits.MaxSymbolsPerRequest);
        j.WriteNumber(WireNames.MaxMessageBytes, limits.MaxMessageBytes);
        j.WriteNumber(WireNames.MaxMessagesPerSecond, limits.MaxMessagesPerSecond);
        j.WriteEndObject();
        j.WriteEndObject();
        Done(j);
    }

    /// <summary>
    /// <c>ack</c> {id, subscribed | unsubscribed, errors}: <paramref name="symbols"/> are the
    /// request's symbols now (un)subscribed, <paramref name="errors"/> the ones that were not.
    /// </summary>
    public static void WriteAck(
        IBufferWriter<byte> output, ClientEncoding encoding, long id, AckKind kind, ReadOnlySpan<string> symbols, ReadOnlySpan<SymbolError> errors)
    {
        if (encoding == ClientEncoding.MessagePack)
        {
            var w = new MessagePackWriter(output);
            w.WriteMapHeader(4);
            Key(ref w, "type"u8, "ack"u8);
            w.WriteString("id"u8);
            w.Write(id);
            w.WriteString(kind == AckKind.Subscribe ? "subscribed"u8 : "unsubscribed"u8);
            w.WriteArrayHeader(symbols.Length);
            foreach (var symbol in symbols)
            {
                w.Write(symbol);
            }

            w.WriteString("errors"u8);
            w.WriteArrayHeader(errors.Length);
            foreach (var error in errors)
            {
                w.WriteMapHeader(3);
                w.WriteString("symbol"u8);
                w.Write(error.Symbol);
                w.WriteString("code"u8);
                w.Write(ErrorCodes.WireName(error.Code));
                w.WriteString("message"u8);
                w.Write(error.Message);
            }

            w.Flush();
            return;
        }

        var j = Json(output);
        j.WriteStartObject();
        j.WriteString(WireNames.Type, WireNames.Ack);
        j.WriteNumber(WireNames.Id, id);
        j.WriteStartArray(kind == AckKind.Subscribe ? WireNames.Subscribed : WireNames.Unsubscribed);
        foreach (var symbol in symbols)
        {
            j.WriteStringValue(symbol);
        }

        j.WriteEndArray();
        j.WriteStartArray(WireNames.Errors);
        foreach (var error in errors)
        {
            j.WriteStartObject();
            j.WriteString(WireNames.Symbol, error.Symbol);
            j.WriteString(WireNames.Code, ErrorCodes.WireName(error.Code));
            j.WriteString(WireNames.Message, error.Message);
            j.WriteEndObject();
        }

        j.WriteEndArray();
        j.WriteEndObject();
        Done(j);
    }

    /// <summary><c>error</c> {id?, code, message}; <c>id</c> is left out when the request's id is unknown.</summary>
    public static void WriteError(IBufferWriter<byte> output, ClientEncoding encoding, long? id, ErrorCode code, string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (encoding == ClientEncoding.MessagePack)
        {
            var w = new MessagePackWriter(output);
            w.WriteMapHeader(id.HasValue ? 4 : 3);
            Key(ref w, "type"u8, "error"u8);
            if (id.HasValue)
            {
                w.WriteString("id"u8);
                w.Write(id.Value);
            }

            w.WriteString("code"u8);
            w.Write(ErrorCodes.WireName(code));
            w.WriteString("message"u8);
            w.Write(message);
            w.Flush();
            return;
        }

        var j = Json(output);
        j.WriteStartObject();
        j.WriteString(WireNames.Type, WireNames.Error);
        if (id.HasValue)
        {
            j.WriteNumber(WireNames.Id, id.Value);
        }

        j.WriteString(WireNames.Code, ErrorCodes.WireName(code));
        j.WriteString(WireNames.Message, message);
        j.WriteEndObject();
        Done(j);
    }

    /// <summary><c>heartbeat</c> {time}: server time, nanoseconds since the Unix epoch.</summary>
    public static void WriteHeartbeat(IBufferWriter<byte> output, ClientEncoding encoding, long time)
    {
        if (encoding == ClientEncoding.MessagePack)
        {
            var w = new MessagePackWriter(output);
            w.WriteMapHeader(2);
            Key(ref w, "type"u8, "heartbeat"u8);
            w.WriteString("time"u8);
            w.Write(time);
            w.Flush();
            return;
        }

        var j = Json(output);
        j.WriteStartObject();
        j.WriteString(WireNames.Type, WireNames.Heartbeat);
        j.WriteNumber(WireNames.Time, time);
        j.WriteEndObject();
        Done(j);
    }

    /// <summary><c>pong</c> {id, time}: the answer to a client <c>ping</c>.</summary>
    public static void WritePong(IBufferWriter<byte> output, ClientEncoding encoding, long id, long time)
    {
        if (encoding == ClientEncoding.MessagePack)
        {
            var w = new MessagePackWriter(output);
            w.WriteMapHeader(3);
            Key(ref w, "type"u8, "pong"u8);
            w.WriteString("id"u8);
            w.Write(id);
            w.WriteString("time"u8);
            w.Write(time);
            w.Flush();
            return;
        }

        var j = Json(output);
        j.WriteStartObject();
        j.WriteString(WireNames.Type, WireNames.Pong);
        j.WriteNumber(WireNames.Id, id);
        j.WriteNumber(WireNames.Time, time);
        j.WriteEndObject();
        Done(j);
    }

    /// <summary><c>status</c> {feed: "up"|"down", reason}.</summary>
    public static void WriteStatus(IBufferWriter<byte> output, ClientEncoding encoding, FeedState feed, string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (encoding == ClientEncoding.MessagePack)
        {
            var w = new MessagePackWriter(output);
            w.WriteMapHeader(3);
            Key(ref w, "type"u8, "status"u8);
            w.WriteString("feed"u8);
            w.WriteString(feed == FeedState.Up ? "up"u8 : "down"u8);
            w.WriteString("reason"u8);
            w.Write(reason);
            w.Flush();
            return;
        }

        var j = Json(output);
        j.WriteStartObject();
        j.WriteString(WireNames.Type, WireNames.Status);
        j.WriteString(WireNames.Feed, feed == FeedState.Up ? WireNames.Up : WireNames.Down);
        j.WriteString(WireNames.Reason, reason);
        j.WriteEndObject();
        Done(j);
    }

    /// <summary>
    /// <c>notice</c> {message, time}: operator text for the people using the client (maintenance, incidents);
    /// <paramref name="time"/> is when it was sent, nanoseconds since the Unix epoch.
    /// </summary>
    public static void WriteNotice(IBufferWriter<byte> output, ClientEncoding encoding, string message, long time)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (encoding == ClientEncoding.MessagePack)
        {
            var w = new MessagePackWriter(output);
            w.WriteMapHeader(3);
            Key(ref w, "type"u8, "notice"u8);
            w.WriteString("message"u8);
            w.Write(message);
            w.WriteString("time"u8);
            w.Write(time);
            w.Flush();
            return;
        }

        var j = Json(output);
        j.WriteStartObject();
        j.WriteString(WireNames.Type, WireNames.Notice);
        j.WriteString(WireNames.Message, message);
        j.WriteNumber(WireNames.Time, time);
        j.WriteEndObject();
        Done(j);
    }

    /// <summary>A <c>price</c> message from a <see cref="BestPrice"/> (its stored mid/spread/spreadBps are written as they are).</summary>
    public static void WritePrice(IBufferWriter<byte> output, ClientEncoding encoding, BestPrice price)
    {
        ArgumentNullException.ThrowIfNull(price);
        if (encoding == ClientEncoding.MessagePack)
        {
            var w = new MessagePackWriter(output);
            WritePrice(ref w, price);
            w.Flush();
            return;
        }

        var j = Json(output);
        WritePrice(j, price);
        Done(j);
    }

    /// <summary>
    /// <c>snapshot</c> {prices: [price, ...]}; each element is a complete <c>price</c> map
    /// (with its <c>type</c>), byte for byte what <see cref="SnapshotFrame"/> assembles from cached frames.
    /// </summary>
    public static void WriteSnapshot(IBufferWriter<byte> output, ClientEncoding encoding, ReadOnlySpan<BestPrice> prices)
    {
        if (encoding == ClientEncoding.MessagePack)
        {
            var w = new MessagePackWriter(output);
            w.WriteMapHeader(2);
            Key(ref w, "type"u8, "snapshot"u8);
            w.WriteString("prices"u8);
            w.WriteArrayHeader(prices.Length);
            foreach (var price in prices)
            {
                WritePrice(ref w, price);
            }

            w.Flush();
            return;
        }

        var j = Json(output);
        j.WriteStartObject();
        j.WriteString(WireNames.Type, WireNames.Snapshot);
        j.WriteStartArray(WireNames.Prices);
        foreach (var price in prices)
        {
            WritePrice(j, price);
        }

        j.WriteEndArray();
        j.WriteEndObject();
        Done(j);
    }

    private static void WritePrice(ref MessagePackWriter writer, BestPrice price)
    {
        Utf8Names(price, out var symbol, out var bidSource, out var askSource);
        PriceMessageFormat.Write(ref writer, symbol, bidSource, askSource, price.ToQuote(), price.Mid, price.Spread, price.SpreadBps);
    }

    private static void WritePrice(Utf8JsonWriter writer, BestPrice price)
    {
        Utf8Names(price, out var symbol, out var bidSource, out var askSource);
        PriceMessageFormat.Write(writer, symbol, bidSource, askSource, price.ToQuote(), price.Mid, price.Spread, price.SpreadBps);
    }

    private static void Utf8Names(BestPrice price, out byte[] symbol, out byte[] bidSource, out byte[] askSource)
    {
        symbol = Encoding.UTF8.GetBytes(price.Symbol);
        bidSource = Encoding.UTF8.GetBytes(price.Bid.Source);
        askSource = Encoding.UTF8.GetBytes(price.Ask.Source);
    }

    private static void Key(ref MessagePackWriter writer, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        writer.WriteString(key);
        writer.WriteString(value);
    }

    private static Utf8JsonWriter Json(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = _json ??= new Utf8JsonWriter(output, WireNames.JsonOptions);
        writer.Reset(output);
        return writer;
    }

    private static void Done(Utf8JsonWriter writer)
    {
        writer.Flush();
        writer.Reset(Parked);
    }
}
