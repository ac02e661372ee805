using System.Text.Encodings.Web;
using System.Text.Json;

namespace Edge.Protocol.Client;

/// <summary>
/// The key table of client protocol v1: every key and constant string value of every message, named once, each
/// pre-encoded for every encoding (<see cref="WireKey"/>). The message shapes (<see cref="IWireMessage"/>) take their
/// names from here; a dialect with other field names has its own table (<see cref="SocketIoWireNames"/>).
/// </summary>
public static class WireNames
{
    /// <summary>How every JSON writer of the protocol is set up.</summary>
    public static readonly JsonWriterOptions JsonOptions = new()
    {
        // Non-ASCII stays as UTF-8 (valid JSON, smaller); only what JSON requires is escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
        SkipValidation = true,
    };

    // Keys.
    public static readonly WireKey Type = new("type");
    public static readonly WireKey Id = new("id");
    public static readonly WireKey Symbol = new("symbol");
    public static readonly WireKey Symbols = new("symbols");
    public static readonly WireKey Bid = new("bid");
    public static readonly WireKey Ask = new("ask");
    public static readonly WireKey Price = new("price");
    public static readonly WireKey Size = new("size");
    public static readonly WireKey Source = new("source");
    public static readonly WireKey Mid = new("mid");
    public static readonly WireKey Spread = new("spread");
    public static readonly WireKey SpreadBps = new("spreadBps");
    public static readonly WireKey Timestamp = new("timestamp");
    public static readonly WireKey Sequence = new("sequence");
    public static readonly WireKey Prices = new("prices");
    public static readonly WireKey ClientId = new("clientId");
    public static readonly WireKey ServerTime = new("serverTime");
    public static readonly WireKey HeartbeatInterval = new("heartbeatInterval");
    public static readonly WireKey Limits = new("limits");
    public static readonly WireKey MaxSubscriptions = new("maxSubscriptions");
    public static readonly WireKey MaxSymbolsPerRequest = new("maxSymbolsPerRequest");
    public static readonly WireKey MaxMessageBytes = new("maxMessageBytes");
    public static readonly WireKey MaxMessagesPerSecond = new("maxMessagesPerSecond");
    public static readonly WireKey Subscribed = new("subscribed");
    public static readonly WireKey Unsubscribed = new("unsubscribed");
    public static readonly WireKey Errors = new("errors");
    public static readonly WireKey Code = new("code");
    public static readonly WireKey Message = new("message");
    public static readonly WireKey Time = new("time");
    public static readonly WireKey Feed = new("feed");
    public static readonly WireKey Reason = new("reason");
    public static readonly WireKey MaxRate = new("maxRate");
    public static readonly WireKey Token = new("token");

    // Message types (values of "type"; "price" is also a key, above).
    public static readonly WireKey Snapshot = new("snapshot");
    public static readonly WireKey Connected = new("connected");
    public static readonly WireKey Ack = new("ack");
    public static readonly WireKey Error = new("error");
    public static readonly WireKey Heartbeat = new("heartbeat");
    public static readonly WireKey Pong = new("pong");
    public static readonly WireKey Status = new("status");
    public static readonly WireKey Notice = new("notice");
    public static readonly WireKey Subscribe = new("subscribe");
    public static readonly WireKey Unsubscribe = new("unsubscribe");
    public static readonly WireKey Ping = new("ping");
    public static readonly WireKey Auth = new("auth");

    // Other constant values.
    public static readonly WireKey Up = new("up");
    public static readonly WireKey Down = new("down");
}
