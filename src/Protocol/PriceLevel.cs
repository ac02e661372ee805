namespace Edge.Protocol;

/// <summary>One side of a <see cref="BestPrice"/>: price, size and the venue that quotes it.</summary>
public readonly record struct PriceLevel(double Price, double Size, string Source);
