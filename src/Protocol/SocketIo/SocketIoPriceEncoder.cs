using System.Globalization;
using Edge.Protocol.Client;
using Edge.Protocol.WebSockets;

namespace Edge.Protocol.SocketIo;

/// <summary>
/// The socket.io price, on the hot path: one complete WebSocket text frame holding
/// <c>42/market-data,["price",{symbol, bestBid: {price, size, source}, bestAsk: {…}, midPrice, spread, spreadBps,
/// timestamp, sequence}]</c> in the original gateway's field names, <c>timestamp</c> in milliseconds since the epoch
/// (a JavaScript number). Written by hand into the caller's span, allocating nothing.
/// </summary>
public static class SocketIoPriceEncoder
{
    /// <summary>What the price object is preceded by in the frame's payload.</summary>
    public static ReadOnlySpan<byte> EventPrefix => "42/market-data,[\"price\","u8;

    private const int HeaderRoom = 4;
    private const long NanosPerMilli = 1_000_000;

    /// <summary>Encodes the frame; <paramref name="destination"/> holds at least <see cref="PriceFrameEncoder.MaxFrameLength"/> bytes. Returns its length.</summary>
    public static int EncodeFrame(
        Span<byte> destination, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, in Quote quote)
    {
        if (destination.Length < PriceFrameEncoder.MaxFrameLength)
        {
            throw new ArgumentException($"the destination must hold {PriceFrameEncoder.MaxFrameLength} bytes", nameof(destination));
        }

        if ((uint)(symbol.Length - 1) >= SymbolRules.MaxSymbolBytes
            || (uint)(bidSource.Length - 1) >= SymbolRules.MaxSourceBytes
            || (uint)(askSource.Length - 1) >= SymbolRules.MaxSourceBytes)
        {
            throw new ArgumentException("a symbol is 1..32 bytes and a source 1..16 bytes");
        }

        var mid = PriceMath.Mid(quote.BidPrice, quote.AskPrice);
        var spread = PriceMath.Spread(quote.BidPrice, quote.AskPrice);
        var spreadBps = PriceMath.SpreadBps(quote.BidPrice, quote.AskPrice);
        if (!double.IsFinite(quote.BidPrice) || !double.IsFinite(quote.BidSize)
            || !double.IsFinite(quote.AskPrice) || !double.IsFinite(quote.AskSize)
            || !double.IsFinite(mid) || !double.IsFinite(spread) || !double.IsFinite(spreadBps))
        {
            throw new ArgumentException("prices, sizes and derived values must be finite", nameof(quote));
        }

        var d = destination[HeaderRoom..];
        var p = Raw(d, 0, EventPrefix);
        p = Raw(d, p, "{\"symbol\":\""u8);
        p = JsonString(d, p, symbol);
        p = Raw(d, p, "\",\"bestBid\":{\"price\":"u8);
        p = Number(d, p, quote.BidPrice);
        p = Raw(d, p, ",\"size\":"u8);
        p = Number(d, p, quote.BidSize);
        p = Raw(d, p, ",\"source\":\""u8);
        p = JsonString(d, p, bidSource);
        p = Raw(d, p, "\"},\"bestAsk\":{\"price\":"u8);
        p = Number(d, p, quote.AskPrice);
        p = Raw(d, p, ",\"size\":"u8);
        p = Number(d, p, quote.AskSize);
        p = Raw(d, p, ",\"source\":\""u8);
        p = JsonString(d, p, askSource);
        p = Raw(d, p, "\"},\"midPrice\":"u8);
        p = Number(d, p, mid);
        p = Raw(d, p, ",\"spread\":"u8);
        p = Number(d, p, spread);
        p = Raw(d, p, ",\"spreadBps\":"u8);
        p = Number(d, p, spreadBps);
        p = Raw(d, p, ",\"timestamp\":"u8);
        p = Integer(d, p, quote.Timestamp / NanosPerMilli);
        p = Raw(d, p, ",\"sequence\":"u8);
        quote.Sequence.TryFormat(d[p..], out var written, default, CultureInfo.InvariantCulture);
        p += written;
        p = Raw(d, p, "}]"u8);

        // Every price payload is over 125 bytes (the constant runs alone are), so the header is the 4-byte form.
        WebSocketFrame.WriteHeader(destination, WebSocketOpcode.Text, p);
        return HeaderRoom + p;
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

    private static int Raw(Span<byte> destination, int position, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[position..]);
        return position + bytes.Length;
    }

    private static int Number(Span<byte> destination, int position, double value)
    {
        value.TryFormat(destination[position..], out var written, default, CultureInfo.InvariantCulture);
        return position + written;
    }

    private static int Integer(Span<byte> destination, int position, long value)
    {
        value.TryFormat(destination[position..], out var written, default, CultureInfo.InvariantCulture);
        return position + written;
    }

    /// <summary>Names are checked UTF-8 without control characters; '"' and '\' are escaped (controls as \u00XX anyway).</summary>
    private static int JsonString(Span<byte> destination, int position, ReadOnlySpan<byte> utf8)
    {
        if (utf8.IndexOfAny(JsonEscapes.Bytes) < 0)
        {
            return Raw(destination, position, utf8);
        }

        foreach (var b in utf8)
        {
            if (b == (byte)'"' || b == (byte)'\\')
            {
                destination[position++] = (byte)'\\';
                destination[position++] = b;
            }
            else if (b < 0x20)
            {
                position = Raw(destination, position, "\\u00"u8);
                destination[position++] = Hex(b >> 4);
                destination[position++] = Hex(b & 0xF);
            }
            else
            {
                destination[position++] = b;
            }
        }

        return position;
    }

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}
