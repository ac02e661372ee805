using Edge.Protocol.Client;
using Edge.Protocol.WebSockets;

namespace Edge.Protocol.SocketIo;

/// <summary>
/// The socket.io price, on the hot path: one complete WebSocket text frame holding
/// <c>42/market-data,["price",{symbol, bestBid: {price, size, source}, bestAsk: {…}, midPrice, spread, spreadBps,
/// timestamp, sequence}]</c>. The shape and the original gateway's field names are the socket.io dialect's
/// (<see cref="SocketIoPriceMessage"/>, <see cref="SocketIoWireNames"/>), written by the span JSON encoder straight
/// into the caller's span, allocating nothing; this class adds the packet prefix and the frame header.
/// </summary>
public static class SocketIoPriceEncoder
{
    /// <summary>What the price object is preceded by in the frame's payload.</summary>
    public static ReadOnlySpan<byte> EventPrefix => "42/market-data,[\"price\","u8;

    /// <summary>Encodes the frame; <paramref name="destination"/> holds at least <see cref="PriceFrameEncoder.MaxFrameLength"/> bytes. Returns its length.</summary>
    public static int EncodeFrame(
        Span<byte> destination, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, in Quote quote)
    {
        // The checks and the frame header are PriceFrameEncoder's: only the payload's shape differs.
        var frame = PriceFrameEncoder.Framed(destination);
        var values = PriceFrameEncoder.CheckedValues(symbol, bidSource, askSource, quote);
        var payload = frame[PriceFrameEncoder.HeaderRoom..];
        var prefix = SocketIoPacketWriter.MarketDataEventPrefix;
        prefix.CopyTo(payload);
        var encoder = new SpanJsonEncoder(payload[prefix.Length..]);
        new SocketIoEventMessage<SocketIoPriceMessage>(SocketIoWireNames.PriceEvent, new SocketIoPriceMessage(values)).WriteTo(ref encoder);
        return PriceFrameEncoder.PlaceHeader(frame, WebSocketOpcode.Text, prefix.Length + encoder.Position);
    }

    /// <summary>The price object inside a frame <see cref="EncodeFrame"/> wrote (for snapshots, copied as it was sent).</summary>
    public static ReadOnlySpan<byte> PriceObjectOf(ReadOnlySpan<byte> frame)
    {
        var payload = frame[PriceFrameEncoder.HeaderRoom..];
        if (!payload.StartsWith(EventPrefix) || payload.Length < EventPrefix.Length + 3 || payload[^1] != (byte)']')
        {
            throw new ArgumentException("not a socket.io price frame", nameof(frame));
        }

        return payload[EventPrefix.Length..^1];
    }
}
