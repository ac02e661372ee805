namespace Edge.Protocol;

/// <summary>
/// The logical <c>price</c> message a client receives, with managed strings. Used off the hot
/// path (non-hot encoders, tests, SDK-style decoding); the hot path works on
/// <see cref="Quote"/> plus pre-encoded UTF-8 names.
/// </summary>
public sealed record BestPrice(
    string Symbol,
    PriceLevel Bid,
    PriceLevel Ask,
    double Mid,
    double Spread,
    double SpreadBps,
    long Timestamp,
    ulong Sequence)
{
    /// <summary>Builds a price whose derived values follow <see cref="PriceMath"/>.</summary>
    public static BestPrice Create(string symbol, PriceLevel bid, PriceLevel ask, long timestamp, ulong sequence) =>
        new(
            symbol,
            bid,
            ask,
            PriceMath.Mid(bid.Price, ask.Price),
            PriceMath.Spread(bid.Price, ask.Price),
            PriceMath.SpreadBps(bid.Price, ask.Price),
            timestamp,
            sequence);

    /// <summary>The numeric fields as a <see cref="Quote"/>.</summary>
    public Quote ToQuote() => new(Bid.Price, Bid.Size, Ask.Price, Ask.Size, Timestamp, Sequence);
}
