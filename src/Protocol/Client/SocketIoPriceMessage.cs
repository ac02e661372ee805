namespace Edge.Protocol.Client;

/// <summary>
/// A price in the original gateway's shape: {symbol, bestBid {price, size, source}, bestAsk {price, size, source},
/// midPrice, spread, spreadBps, timestamp, sequence}, with <c>timestamp</c> in milliseconds since the Unix epoch (a
/// JavaScript number, as <c>Date.now()</c>) and no <c>type</c> (the socket.io event name says it). The socket.io
/// dialect's counterpart of <see cref="PriceMessage"/>: the same encoders, its own key table.
/// </summary>
public readonly ref struct SocketIoPriceMessage(
    ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, Quote quote, double mid, double spread, double spreadBps)
    : IWireMessage
{
    private const long NanosecondsPerMillisecond = 1_000_000;

    private readonly ReadOnlySpan<byte> _symbol = symbol;
    private readonly ReadOnlySpan<byte> _bidSource = bidSource;
    private readonly ReadOnlySpan<byte> _askSource = askSource;
    private readonly Quote _quote = quote;

    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        encoder.StartMap(8);
        encoder.Key(SocketIoWireNames.Symbol);
        encoder.String(_symbol);
        encoder.Key(SocketIoWireNames.BestBid);
        PriceLevelMap.Write(
            ref encoder, SocketIoWireNames.Price, SocketIoWireNames.Size, SocketIoWireNames.Source, _quote.BidPrice, _quote.BidSize, _bidSource);
        encoder.Key(SocketIoWireNames.BestAsk);
        PriceLevelMap.Write(
            ref encoder, SocketIoWireNames.Price, SocketIoWireNames.Size, SocketIoWireNames.Source, _quote.AskPrice, _quote.AskSize, _askSource);
        encoder.Key(SocketIoWireNames.MidPrice);
        encoder.Float64(mid);
        encoder.Key(SocketIoWireNames.Spread);
        encoder.Float64(spread);
        encoder.Key(SocketIoWireNames.SpreadBps);
        encoder.Float64(spreadBps);
        encoder.Key(SocketIoWireNames.Timestamp);
        encoder.Int64(_quote.Timestamp / NanosecondsPerMillisecond);
        encoder.Key(SocketIoWireNames.Sequence);
        encoder.UInt64(_quote.Sequence);
        encoder.EndMap();
    }
}
