namespace Edge.Protocol.Client;

/// <summary>
/// A price in the original gateway's shape: {symbol, bestBid {price, size, source}, bestAsk {price, size, source},
/// midPrice, spread, spreadBps, timestamp, sequence}, with <c>timestamp</c> in milliseconds since the Unix epoch (a
/// JavaScript number, as <c>Date.now()</c>) and no <c>type</c> (the socket.io event name says it). The socket.io
/// dialect's counterpart of <see cref="PriceMessage"/>: the same values and encoders, its own key table.
/// </summary>
public readonly ref struct SocketIoPriceMessage(PriceValues price) : IWireMessage
{
    private const long NanosecondsPerMillisecond = 1_000_000;

    private readonly PriceValues _price = price;

    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        var quote = _price.Quote;
        encoder.StartMap(8);
        encoder.Key(SocketIoWireNames.Symbol);
        encoder.String(_price.Symbol);
        encoder.Key(SocketIoWireNames.BestBid);
        PriceLevelMap.Write(
            ref encoder, SocketIoWireNames.Price, SocketIoWireNames.Size, SocketIoWireNames.Source, quote.BidPrice, quote.BidSize, _price.BidSource);
        encoder.Key(SocketIoWireNames.BestAsk);
        PriceLevelMap.Write(
            ref encoder, SocketIoWireNames.Price, SocketIoWireNames.Size, SocketIoWireNames.Source, quote.AskPrice, quote.AskSize, _price.AskSource);
        encoder.Key(SocketIoWireNames.MidPrice);
        encoder.Float64(_price.Mid);
        encoder.Key(SocketIoWireNames.Spread);
        encoder.Float64(_price.Spread);
        encoder.Key(SocketIoWireNames.SpreadBps);
        encoder.Float64(_price.SpreadBps);
        encoder.Key(SocketIoWireNames.Timestamp);
        encoder.Int64(quote.Timestamp / NanosecondsPerMillisecond);
        encoder.Key(SocketIoWireNames.Sequence);
        encoder.UInt64(quote.Sequence);
        encoder.EndMap();
    }
}
