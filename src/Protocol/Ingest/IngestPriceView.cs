namespace Edge.Protocol.Ingest;

/// <summary>
/// A decoded ingest price message, viewed in place: the names are spans over the caller's buffer,
/// valid as long as that buffer is. Only <see cref="IngestPriceDecoder"/> makes a meaningful one.
/// </summary>
public readonly ref struct IngestPriceView
{
    internal IngestPriceView(
        ushort version,
        Quote quote,
        ReadOnlySpan<byte> symbol,
        ReadOnlySpan<byte> bidSource,
        ReadOnlySpan<byte> askSource)
    {
        Version = version;
        Quote = quote;
        Symbol = symbol;
        BidSource = bidSource;
        AskSource = askSource;
    }

    /// <summary>Schema version the publisher wrote (1 or newer).</summary>
    public ushort Version { get; }

    /// <summary>Prices, sizes, timestamp and sequence, bit for bit as published.</summary>
    public Quote Quote { get; }

    /// <summary>Symbol, UTF-8, 1..32 bytes, checked by <see cref="SymbolRules"/>.</summary>
    public ReadOnlySpan<byte> Symbol { get; }

    /// <summary>Venue of the best bid, UTF-8, 1..16 bytes.</summary>
    public ReadOnlySpan<byte> BidSource { get; }

    /// <summary>Venue of the best ask, UTF-8, 1..16 bytes.</summary>
    public ReadOnlySpan<byte> AskSource { get; }
}
