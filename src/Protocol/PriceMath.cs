namespace Edge.Protocol;

/// <summary>
/// The server's formula for the derived values of a quote. It is part of the protocol
/// (docs/protocol.md, "Number representation"): each is one or two IEEE-754 double operations
/// in a fixed order, so a client that recomputes them in JavaScript or .NET gets the same bits.
/// </summary>
public static class PriceMath
{
    /// <summary><c>(bid + ask) / 2</c>.</summary>
    public static double Mid(double bid, double ask) => (bid + ask) / 2.0;

    /// <summary><c>ask - bid</c>; negative when the book is crossed across venues.</summary>
    public static double Spread(double bid, double ask) => ask - bid;

    /// <summary>
    /// <c>(ask - bid) / mid * 10000</c>, evaluated left to right; <c>0</c> when <c>mid == 0</c>
    /// (a division by zero would give a non-finite value, which JSON cannot carry).
    /// </summary>
    public static double SpreadBps(double bid, double ask)
    {
        var mid = Mid(bid, ask);
        return mid == 0.0 ? 0.0 : Spread(bid, ask) / mid * 10_000.0;
    }

    /// <summary>
    /// True when the prices, the sizes and every derived value are finite: the ingest decoder
    /// rejects anything else, so nothing non-finite ever reaches a client.
    /// </summary>
    public static bool IsFinite(in Quote quote) =>
        double.IsFinite(quote.BidPrice)
        && double.IsFinite(quote.AskPrice)
        && double.IsFinite(quote.BidSize)
        && double.IsFinite(quote.AskSize)
        && double.IsFinite(quote.Mid)
        && double.IsFinite(quote.Spread)
        && double.IsFinite(quote.SpreadBps);
}
