using System.Buffers;
using System.Text.Json;
using Edge.Protocol.Client;

namespace Edge.Protocol.SocketIo;

/// <summary>
/// Every packet body Edge sends a socket.io client, except prices (<see cref="SocketIoPriceEncoder"/>): the Engine.IO
/// open packet, the socket.io CONNECT / CONNECT_ERROR / DISCONNECT answers, the events the original gateway emitted
/// (<c>connected</c>, <c>snapshot</c>, <c>heartbeat</c>, <c>error</c>, plus Edge's <c>status</c> and <c>notice</c>) and
/// the acks (the price itself is the socket.io dialect's <see cref="SocketIoPriceMessage"/>). Times are JavaScript numbers: milliseconds since the Unix epoch. Kept in one place so that the field names
/// of the original gateway are written once; the messages are rare (not per price), so Utf8JsonWriter is fine here.
/// </summary>
public static class SocketIoMessageWriter
{
    /// <summary>The one namespace Edge serves.</summary>
    public const string MarketDataNamespace = "/market-data";

    /// <summary>The rate-limited command's ack, exactly the original gateway's text.</summary>
    public const string RateLimitExceeded = "Rate limit exceeded";

    private static ReadOnlySpan<byte> EventPrefix => SocketIoPacketWriter.MarketDataEventPrefix;

    private static ReadOnlySpan<byte> AckPrefix => "43/market-data,"u8;

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = false };

    /// <summary>The Engine.IO open packet: <c>0{"sid","upgrades":[],"pingInterval","pingTimeout","maxPayload"}</c>.</summary>
    public static void WriteOpen(IBufferWriter<byte> output, string sid, int pingIntervalMs, int pingTimeoutMs, int maxPayload)
    {
        Raw(output, "0"u8);
        using var j = new Utf8JsonWriter(output, WriterOptions);
        j.WriteStartObject();
        j.WriteString("sid"u8, sid);
        j.WriteStartArray("upgrades"u8);
        j.WriteEndArray();
        j.WriteNumber("pingInterval"u8, pingIntervalMs);
        j.WriteNumber("pingTimeout"u8, pingTimeoutMs);
        j.WriteNumber("maxPayload"u8, maxPayload);
        j.WriteEndObject();
    }

    /// <summary>CONNECT accepted: <c>40/market-data,{"sid"}</c>.</summary>
    public static void WriteConnect(IBufferWriter<byte> output, string sid)
    {
        Raw(output, "40/market-data,"u8);
        using var j = new Utf8JsonWriter(output, WriterOptions);
        j.WriteStartObject();
        j.WriteString("sid"u8, sid);
        j.WriteEndObject();
    }

    /// <summary>
    /// CONNECT refused: <c>44&lt;ns,&gt;{"message","data":{"code"}}</c> (socket.io-client passes it to
    /// <c>connect_error</c> as an Error whose <c>data</c> is the object). <paramref name="ns"/> is the namespace as the
    /// client sent it (<c>/</c> is written as nothing); <paramref name="code"/> null writes no <c>data</c>.
    /// </summary>
    public static void WriteConnectError(IBufferWriter<byte> output, ReadOnlySpan<byte> ns, string message, string? code)
    {
        Raw(output, "44"u8);
        if (!ns.SequenceEqual("/"u8))
        {
            Raw(output, ns);
            Raw(output, ","u8);
        }

        using var j = new Utf8JsonWriter(output, WriterOptions);
        j.WriteStartObject();
        j.WriteString("message"u8, message);
        if (code is not null)
        {
            j.WriteStartObject("data"u8);
            j.WriteString("code"u8, code);
            j.WriteEndObject();
        }

        j.WriteEndObject();
    }

    /// <summary>DISCONNECT from the server: <c>41/market-data,</c> (socket.io-client does not reconnect after it).</summary>
    public static void WriteDisconnect(IBufferWriter<byte> output) => Raw(output, "41/market-data,"u8);

    /// <summary><c>connected</c> {clientId, timestamp, heartbeatInterval}: sent right after the CONNECT answer.</summary>
    public static void WriteConnected(IBufferWriter<byte> output, string clientId, long timestampMs, int heartbeatIntervalMs)
    {
        using var j = StartEvent(output, "connected"u8);
        j.WriteString("clientId"u8, clientId);
        j.WriteNumber("timestamp"u8, timestampMs);
        j.WriteNumber("heartbeatInterval"u8, heartbeatIntervalMs);
        End(output, j);
    }

    /// <summary><c>heartbeat</c> {timestamp}.</summary>
    public static void WriteHeartbeat(IBufferWriter<byte> output, long timestampMs)
    {
        using var j = StartEvent(output, "heartbeat"u8);
        j.WriteNumber("timestamp"u8, timestampMs);
        End(output, j);
    }

    /// <summary><c>error</c> {code, message}: e.g. TOKEN_EXPIRED before the server disconnects.</summary>
    public static void WriteError(IBufferWriter<byte> output, ErrorCode code, string message)
    {
        using var j = StartEvent(output, "error"u8);
        j.WriteString("code"u8, ErrorCodes.WireName(code));
        j.WriteString("message"u8, message);
        End(output, j);
    }

    /// <summary><c>status</c> {feed: "up"|"down", reason}: the upstream feed came or went.</summary>
    public static void WriteStatus(IBufferWriter<byte> output, FeedState feed, string reason)
    {
        using var j = StartEvent(output, "status"u8);
        j.WriteString("feed"u8, feed == FeedState.Up ? "up"u8 : "down"u8);
        j.WriteString("reason"u8, reason);
        End(output, j);
    }

    /// <summary><c>notice</c> {message, timestamp}: operator text.</summary>
    public static void WriteNotice(IBufferWriter<byte> output, string message, long timestampMs)
    {
        using var j = StartEvent(output, "notice"u8);
        j.WriteString("message"u8, message);
        j.WriteNumber("timestamp"u8, timestampMs);
        End(output, j);
    }

    /// <summary>The subscribe ack: <c>43/market-data,ID[{"subscribed":[...],"errors":[{symbol,code,message}]}]</c>.</summary>
    public static void WriteSubscribeAck(IBufferWriter<byte> output, long ackId, IReadOnlyList<string> subscribed, IReadOnlyList<SymbolError> errors)
    {
        using var j = StartAck(output, ackId);
        j.WriteStartArray("subscribed"u8);
        foreach (var symbol in subscribed)
        {
            j.WriteStringValue(symbol);
        }

        j.WriteEndArray();
        j.WriteStartArray("errors"u8);
        foreach (var error in errors)
        {
            j.WriteStartObject();
            j.WriteString("symbol"u8, error.Symbol);
            j.WriteString("code"u8, ErrorCodes.WireName(error.Code));
            j.WriteString("message"u8, error.Message);
            j.WriteEndObject();
        }

        j.WriteEndArray();
        End(output, j);
    }

    /// <summary>The unsubscribe ack: <c>43/market-data,ID[{"unsubscribed":[...]}]</c>.</summary>
    public static void WriteUnsubscribeAck(IBufferWriter<byte> output, long ackId, IReadOnlyList<string> unsubscribed)
    {
        using var j = StartAck(output, ackId);
        j.WriteStartArray("unsubscribed"u8);
        foreach (var symbol in unsubscribed)
        {
            j.WriteStringValue(symbol);
        }

        j.WriteEndArray();
        End(output, j);
    }

    /// <summary>A refused command's ack: <c>43/market-data,ID[{"error":TEXT}]</c> (the original's rate-limit reply).</summary>
    public static void WriteErrorAck(IBufferWriter<byte> output, long ackId, string error)
    {
        using var j = StartAck(output, ackId);
        j.WriteString("error"u8, error);
        End(output, j);
    }

    /// <summary>
    /// <c>snapshot</c> {prices: [...]}: each element a price object exactly as its <c>price</c> event carried it
    /// (<see cref="SocketIoPriceEncoder.PriceObjectOf"/>), copied, not re-encoded.
    /// </summary>
    public static void WriteSnapshot(IBufferWriter<byte> output, IReadOnlyList<ReadOnlyMemory<byte>> prices)
    {
        Raw(output, EventPrefix);
        Raw(output, "[\"snapshot\",{\"prices\":["u8);
        for (var i = 0; i < prices.Count; i++)
        {
            if (i > 0)
            {
                Raw(output, ","u8);
            }

            Raw(output, prices[i].Span);
        }

        Raw(output, "]}]"u8);
    }

    /// <summary>Writes the event packet up to its one argument, an object, and opens that object.</summary>
    private static Utf8JsonWriter StartEvent(IBufferWriter<byte> output, ReadOnlySpan<byte> name)
    {
        Raw(output, EventPrefix);
        Raw(output, "[\""u8);
        Raw(output, name);
        Raw(output, "\","u8);
        return StartObject(output);
    }

    /// <summary>Writes the ack packet up to its one argument, an object, and opens that object.</summary>
    private static Utf8JsonWriter StartAck(IBufferWriter<byte> output, long ackId)
    {
        Raw(output, AckPrefix);
        Span<byte> digits = stackalloc byte[20];
        ackId.TryFormat(digits, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        Raw(output, digits[..written]);
        Raw(output, "["u8);
        return StartObject(output);
    }

    private static Utf8JsonWriter StartObject(IBufferWriter<byte> output)
    {
        var j = new Utf8JsonWriter(output, WriterOptions);
        j.WriteStartObject();
        return j;
    }

    /// <summary>Closes the argument object and the packet.</summary>
    private static void End(IBufferWriter<byte> output, Utf8JsonWriter j)
    {
        j.WriteEndObject();
        j.Flush();
        Raw(output, "]"u8);
    }

    private static void Raw(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes) => output.Write(bytes);
}
