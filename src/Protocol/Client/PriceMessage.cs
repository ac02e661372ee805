using System.Runtime.CompilerServices;

namespace Edge.Protocol.Client;

/// <summary>
/// <c>price</c> {symbol, bid {price, size, source}, ask {price, size, source}, mid, spread, spreadBps, timestamp, sequence}:
/// keys in a fixed order (docs/protocol.md); every price, size and derived value is a float64 (MessagePack 0xcb, even
/// when integral) so the client gets the published bits. The hot path (<see cref="PriceFrameEncoder"/>) writes it
/// over the span encoders.
/// </summary>
public readonly ref struct PriceMessage(PriceValues price) : IWireMessage
{
    private readonly PriceValues _price = price;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        var quote = _price.Quote;
        MessageStart.Write(ref encoder, 9, WireNames.Price);
        encoder.Key(WireNames.Symbol);
        encoder.String(_price.Symbol);
        encoder.Key(WireNames.Bid);
        PriceLevelMap.Write(ref encoder, WireNames.Price, WireNames.Size, WireNames.Source, quote.BidPrice, quote.BidSize, _price.BidSource);
        encoder.Key(WireNames.Ask);
        PriceLevelMap.Write(ref encoder, WireNames.Price, WireNames.Size, WireNames.Source, quote.AskPrice, quote.AskSize, _price.AskSource);
        encoder.Key(WireNames.Mid);
        encoder.Float64(_price.Mid);
        encoder.Key(WireNames.Spread);
        encoder.Float64(_price.Spread);
        encoder.Key(WireNames.SpreadBps);
        encoder.Float64(_price.SpreadBps);
        encoder.Key(WireNames.Timestamp);
        encoder.Int64(quote.Timestamp);
        encoder.Key(WireNames.Sequence);
        encoder.UInt64(quote.Sequence);
        encoder.EndMap();
    }
}
