namespace Edge.Protocol.Client;

/// <summary>
/// The values of one price as every dialect's price shape takes them: names as UTF-8, the numbers as a
/// <see cref="Quote"/>, and the derived mid, spread and spreadBps.
/// </summary>
public readonly ref struct PriceValues(
    ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, Quote quote, double mid, double spread, double spreadBps)
{
    public ReadOnlySpan<byte> Symbol { get; } = symbol;

    public ReadOnlySpan<byte> BidSource { get; } = bidSource;

    public ReadOnlySpan<byte> AskSource { get; } = askSource;

    public Quote Quote { get; } = quote;

    public double Mid { get; } = mid;

    public double Spread { get; } = spread;

    public double SpreadBps { get; } = spreadBps;

    /// <summary>Values whose mid, spread and spreadBps follow <see cref="PriceMath"/>.</summary>
    public static PriceValues Derive(ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> bidSource, ReadOnlySpan<byte> askSource, scoped in Quote quote) =>
        new(
            symbol,
            bidSource,
            askSource,
            quote,
            PriceMath.Mid(quote.BidPrice, quote.AskPrice),
            PriceMath.Spread(quote.BidPrice, quote.AskPrice),
            PriceMath.SpreadBps(quote.BidPrice, quote.AskPrice));
}
