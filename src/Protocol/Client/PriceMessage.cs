namespace Edge.Protocol.Client;

/// <summary>
/// <c>price</c> {symbol, bid {price, size, source}, ask {price, size, source}, mid, spread, spreadBps, timestamp, sequence}:
/// keys in a fixed order (docs/protocol.md); every price, size and derived value is a float64 (MessagePack 0xcb, even
/// when integral) so the client gets the published bits. The hot path writes the same bytes with
/// <see cref="PriceSpanWriter"/>; the tests hold the two equal.
/// </summary>
public readonly ref struct PriceMessage(
    ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, Quote quote, double mid, double spread, double spreadBps)
    : IWireMessage
{
    private readonly ReadOnlySpan<byte> _symbol = symbol;
    private readonly ReadOnlySpan<byte> _bidSource = bidSource;
    private readonly ReadOnlySpan<byte> _askSource = askSource;
    private readonly Quote _quote = quote;

    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        encoder.StartMap(9);
        encoder.Key(WireNames.Type);
        encoder.Name(WireNames.Price);
        encoder.Key(WireNames.Symbol);
        encoder.String(_symbol);
        encoder.Key(WireNames.Bid);
        PriceLevelMap.Write(ref encoder, WireNames.Price, WireNames.Size, WireNames.Source, _quote.BidPrice, _quote.BidSize, _bidSource);
        encoder.Key(WireNames.Ask);
        PriceLevelMap.Write(ref encoder, WireNames.Price, WireNames.Size, WireNames.Source, _quote.AskPrice, _quote.AskSize, _askSource);
        encoder.Key(WireNames.Mid);
        encoder.Float64(mid);
        encoder.Key(WireNames.Spread);
        encoder.Float64(spread);
        encoder.Key(WireNames.SpreadBps);
        encoder.Float64(spreadBps);
        encoder.Key(WireNames.Timestamp);
        encoder.Int64(_quote.Timestamp);
        encoder.Key(WireNames.Sequence);
        encoder.UInt64(_quote.Sequence);
        encoder.EndMap();
    }
}
