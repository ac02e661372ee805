using System.Text.Encodings.Web;
using System.Text.Json;

namespace Edge.Protocol.Client;

/// <summary>Keys and constant values of client protocol v1, pre-encoded once for both encodings.</summary>
internal static class WireNames
{
    public static readonly JsonWriterOptions JsonOptions = new()
    {
        // Non-ASCII stays as UTF-8 (valid JSON, smaller); only what JSON requires is escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    public static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    public static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    public static readonly JsonEncodedText Symbol = JsonEncodedText.Encode("symbol");
    public static readonly JsonEncodedText Bid = JsonEncodedText.Encode("bid");
    public static readonly JsonEncodedText Ask = JsonEncodedText.Encode("ask");
    public static readonly JsonEncodedText Price = JsonEncodedText.Encode("price");
    public static readonly JsonEncodedText Size = JsonEncodedText.Encode("size");
    public static readonly JsonEncodedText Source = JsonEncodedText.Encode("source");
    public static readonly JsonEncodedText Mid = JsonEncodedText.Encode("mid");
    public static readonly JsonEncodedText Spread = JsonEncodedText.Encode("spread");
    public static readonly JsonEncodedText SpreadBps = JsonEncodedText.Encode("spreadBps");
    public static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    public static readonly JsonEncodedText Sequence = JsonEncodedText.Encode("sequence");
    public static readonly JsonEncodedText Prices = JsonEncodedText.Encode("prices");
    public static readonly JsonEncodedText Snapshot = JsonEncodedText.Encode("snapshot");
    public static readonly JsonEncodedText Connected = JsonEncodedText.Encode("connected");
    public static readonly JsonEncodedText ClientId = JsonEncodedText.Encode("clientId");
    public static readonly JsonEncodedText ServerTime = JsonEncodedText.Encode("serverTime");
    public static readonly JsonEncodedText HeartbeatInterval = JsonEncodedText.Encode("heartbeatInterval");
    public static readonly JsonEncodedText Limits = JsonEncodedText.Encode("limits");
    public static readonly JsonEncodedText MaxSubscriptions = JsonEncodedText.Encode("maxSubscriptions");
    public static readonly JsonEncodedText MaxSymbolsPerRequest = JsonEncodedText.Encode("maxSymbolsPerRequest");
    public static readonly JsonEncodedText MaxMessageBytes = JsonEncodedText.Encode("maxMessageBytes");
    public static readonly JsonEncodedText MaxMessagesPerSecond = JsonEncodedText.Encode("maxMessagesPerSecond");
    public static readonly JsonEncodedText Ack = JsonEncodedText.Encode("ack");
    public static readonly JsonEncodedText Subscribed = JsonEncodedText.Encode("subscribed");
    public static readonly JsonEncodedText Unsubscribed = JsonEncodedText.Encode("unsubscribed");
    public static readonly JsonEncodedText Errors = JsonEncodedText.Encode("errors");
    public static readonly JsonEncodedText Code = JsonEncodedText.Encode("code");
    public static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    public static readonly JsonEncodedText Error = JsonEncodedText.Encode("error");
    public static readonly JsonEncodedText Heartbeat = JsonEncodedText.Encode("heartbeat");
    public static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
    public static readonly JsonEncodedText Pong = JsonEncodedText.Encode("pong");
    public static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    public static readonly JsonEncodedText Feed = JsonEncodedText.Encode("feed");
    public static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason");
    public static readonly JsonEncodedText Up = JsonEncodedText.Encode("up");
    public static readonly JsonEncodedText Down = JsonEncodedText.Encode("down");
    public static readonly JsonEncodedText Notice = JsonEncodedText.Encode("notice");
}
