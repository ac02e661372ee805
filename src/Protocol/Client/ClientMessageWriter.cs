using System.Buffers;
using System.Text.Json;
using MessagePack;

namespace Edge.Protocol.Client;

/// <summary>
/// Writes client-to-server messages (subscribe, unsubscribe, ping, auth) as a payload, for
/// clients: the .NET SDK, end-to-end tests, the capacity harness. A client frames it masked:
/// <see cref="WebSockets.WebSocketFrame.WriteMaskedHeader"/> then <see cref="WebSockets.WebSocketMask.Apply"/>.
/// </summary>
public static class ClientMessageWriter
{
    private static readonly ArrayBufferWriter<byte> Parked = new(1);
    private static readonly JsonEncodedText Subscribe = JsonEncodedText.Encode("subscribe");
    private static readonly JsonEncodedText Unsubscribe = JsonEncodedText.Encode("unsubscribe");
    private static readonly JsonEncodedText Ping = JsonEncodedText.Encode("ping");
    private static readonly JsonEncodedText Auth = JsonEncodedText.Encode("auth");
    private static readonly JsonEncodedText Symbols = JsonEncodedText.Encode("symbols");
    private static readonly JsonEncodedText MaxRate = JsonEncodedText.Encode("maxRate");
    private static readonly JsonEncodedText Token = JsonEncodedText.Encode("token");

    [ThreadStatic]
    private static Utf8JsonWriter? _json;

    /// <summary><c>subscribe</c> {id, symbols, maxRate?}.</summary>
    public static void WriteSubscribe(IBufferWriter<byte> output, ClientEncoding encoding, long id, ReadOnlySpan<string> symbols, int? maxRate = null) =>
        WriteSymbols(output, encoding, "subscribe"u8, Subscribe, id, symbols, maxRate);

    /// <summary><c>unsubscribe</c> {id, symbols}.</summary>
    public static void WriteUnsubscribe(IBufferWriter<byte> output, ClientEncoding encoding, long id, ReadOnlySpan<string> symbols) =>
        WriteSymbols(output, encoding, "unsubscribe"u8, Unsubscribe, id, symbols, null);

    /// <summary><c>ping</c> {id}.</summary>
    public static void WritePing(IBufferWriter<byte> output, ClientEncoding encoding, long id)
    {
        if (encoding == ClientEncoding.MessagePack)
        {
            var w = new MessagePackWriter(output);
            w.WriteMapHeader(2);
            w.WriteString("type"u8);
            w.WriteString("ping"u8);
            w.WriteString("id"u8);
            w.Write(id);
            w.Flush();
            return;
        }

        var j = Json(output);
        j.WriteStartObject();
        j.WriteString(WireNames.Type, Ping);
        j.WriteNumber(WireNames.Id, id);
        j.WriteEndObject();
        Done(j);
    }

    /// <summary><c>auth</c> {token}: a fresh token for the live connection.</summary>
    public static void WriteAuth(IBufferWriter<byte> output, ClientEncoding encoding, string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        if (encoding == ClientEncoding.MessagePack)
        {
            var w = new MessagePackWriter(output);
            w.WriteMapHeader(2);
            w.WriteString("type"u8);
            w.WriteString("auth"u8);
            w.WriteString("token"u8);
            w.Write(token);
            w.Flush();
            return;
        }

        var j = Json(output);
        j.WriteStartObject();
        j.WriteString(WireNames.Type, Auth);
        j.WriteString(Token, token);
        j.WriteEndObject();
        Done(j);
    }

    private static void WriteSymbols(
        IBufferWriter<byte> output,
        ClientEncoding encoding,
        ReadOnlySpan<byte> type,
        JsonEncodedText jsonType,
        long id,
        ReadOnlySpan<string> symbols,
        int? maxRate)
    {
        if (encoding == ClientEncoding.MessagePack)
        {
            var w = new MessagePackWriter(output);
            w.WriteMapHeader(maxRate.HasValue ? 4 : 3);
            w.WriteString("type"u8);
            w.WriteString(type);
            w.WriteString("id"u8);
            w.Write(id);
            w.WriteString("symbols"u8);
            w.WriteArrayHeader(symbols.Length);
            foreach (var symbol in symbols)
            {
                w.Write(symbol);
            }

            if (maxRate.HasValue)
            {
                w.WriteString("maxRate"u8);
                w.Write(maxRate.Value);
            }

            w.Flush();
            return;
        }

        var j = Json(output);
        j.WriteStartObject();
        j.WriteString(WireNames.Type, jsonType);
        j.WriteNumber(WireNames.Id, id);
        j.WriteStartArray(Symbols);
        foreach (var symbol in symbols)
        {
            j.WriteStringValue(symbol);
        }

        j.WriteEndArray();
        if (maxRate.HasValue)
        {
            j.WriteNumber(MaxRate, maxRate.Value);
        }

        j.WriteEndObject();
        Done(j);
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
