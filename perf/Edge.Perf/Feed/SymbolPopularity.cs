namespace Edge.Perf.Feed;

/// <summary>How updates (and subscriptions) are spread over the symbols.</summary>
internal enum SymbolPopularity
{
    Uniform,

    /// <summary>Zipf with exponent s: symbol i (from 0) has weight 1/(i+1)^s.</summary>
    Zipf,
}
