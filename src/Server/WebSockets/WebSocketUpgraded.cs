using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;

namespace Edge.Server.WebSockets;

/// <summary>
/// An upgraded connection's facts: fired once as a user event to the handlers behind the codec (after the 101 was
/// written and before the first message), and kept on the channel for any handler to read with <see cref="Of"/>.
/// </summary>
public sealed class WebSocketUpgraded
{
    private static readonly AttributeKey<WebSocketUpgraded> Key = AttributeKey<WebSocketUpgraded>.ValueOf("edge.websocket.upgraded");

    public WebSocketUpgraded(string endpoint, string? subprotocol, object? state)
    {
        Endpoint = endpoint;
        Subprotocol = subprotocol;
        State = state;
    }

    /// <summary>The endpoint's name (<c>market-data</c>, <c>echo</c>).</summary>
    public string Endpoint { get; }

    /// <summary>The subprotocol echoed in the 101 response, or null.</summary>
    public string? Subprotocol { get; }

    /// <summary>The admission's per-connection state (for market data a <see cref="Admission.ClientConnection"/>).</summary>
    public object? State { get; }

    /// <summary>The facts of an upgraded channel, or null when it was not upgraded.</summary>
    public static WebSocketUpgraded? Of(IChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return channel.GetAttribute(Key).Get();
    }

    internal void AttachTo(IChannel channel) => channel.GetAttribute(Key).Set(this);
}
