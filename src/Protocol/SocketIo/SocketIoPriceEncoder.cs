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

    private const int HeaderRoom = 4;

    /// <summary>Encodes the frame; <paramref name="destination"/> holds at least <see cref="PriceFrameEncoder.MaxFrameLength"/> bytes. Returns its length.</summary>
    public static int EncodeFrame(
        Span<byte> destination, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, in Quote quote)
    {
        if (destination.Length < PriceFrameEncoder.MaxFrameLength)
        {
            throw new ArgumentException($"the destination must hold {PriceFrameEncoder.MaxFrameLength} bytes", nameof(destination));
        }

        // Length checks only: the names come from the ingest decoder, which applied the full rules.
        if ((uint)(symbol.Length - 1) >= SymbolRules.MaxSymbolBytes
            || (uint)(bidSource.Length - 1) >= SymbolRules.MaxSourceBytes
            || (uint)(askSource.Length - 1) >= SymbolRules.MaxSourceBytes)
        {
            throw new ArgumentException("a symbol is 1..32 bytes and a source 1..16 bytes");
        }

        var values = PriceValues.Derive(symbol, bidSource, askSource, quote);
        if (!double.IsFinite(quote.BidPrice) || !double.IsFinite(quote.BidSize)
            || !double.IsFinite(quote.AskPrice) || !double.IsFinite(quote.AskSize)
            || !double.IsFinite(values.Mid) || !double.IsFinite(values.Spread) || !double.IsFinite(values.SpreadBps))
        {
            throw new ArgumentException("prices, sizes and derived values must be finite", nameof(quote));
        }

        var payload = destination[HeaderRoom..];
        var prefix = SocketIoPacketWriter.MarketDataEventPrefix;
        prefix.CopyTo(payload);
        var encoder = new SpanJsonEncoder(payload[prefix.Length..]);
        new SocketIoEventMessage<SocketIoPriceMessage>(SocketIoWireNames.PriceEvent, new SocketIoPriceMessage(values)).WriteTo(ref encoder);
        var length = prefix.Length + encoder.Position;

        // Every price payload is over 125 bytes (the constant runs alone are), so the header is the 4-byte form.
        WebSocketFrame.WriteHeader(destination, WebSocketOpcode.Text, length);
        return HeaderRoom + length;
    }

    /// <summary>The price object inside a frame <see cref="EncodeFrame"/> wrote (for snapshots, copied as it was sent).</summary>
    public static ReadOnlySpan<byte> PriceObjectOf(ReadOnlySpan<byte> frame)
    {
        var payload = frame[HeaderRoom..];
        if (!payload.StartsWith(EventPrefix) || payload.Length < EventPrefix.Length + 3 || payload[^1] != (byte)']')
        {
            throw new ArgumentException("not a socket.io price frame", nameof(frame));
        }

        return payload[EventPrefix.Length..^1];
    }
}
