using System.Runtime.InteropServices;

namespace Edge.Protocol;

/// <summary>
/// The numeric part of a best bid/ask update, exactly as the upstream engine published it.
/// Symbol and sources travel separately (as UTF-8 spans or interned ids) so this stays a small
/// blittable value that a ring slot can hold and an encoder can take by <c>in</c>.
/// </summary>
/// <remarks>
/// Prices and sizes are IEEE-754 float64 end to end: the bits here are the bits a client sees.
/// The derived values (<see cref="Mid"/>, <see cref="Spread"/>, <see cref="SpreadBps"/>) follow
/// <see cref="PriceMath"/>, the formula documented in docs/protocol.md.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Quote : IEquatable<Quote>
{
    public Quote(double bidPrice, double bidSize, double askPrice, double askSize, long timestamp, ulong sequence)
    {
        BidPrice = bidPrice;
        BidSize = bidSize;
        AskPrice = askPrice;
        AskSize = askSize;
        Timestamp = timestamp;
        Sequence = sequence;
    }

    public double BidPrice { get; }

    public double BidSize { get; }

    public double AskPrice { get; }

    public double AskSize { get; }

    /// <summary>Upstream timestamp, nanoseconds since the Unix epoch.</summary>
    public long Timestamp { get; }

    /// <summary>Per-symbol sequence number assigned upstream.</summary>
    public ulong Sequence { get; }

    public double Mid => PriceMath.Mid(BidPrice, AskPrice);

    public double Spread => PriceMath.Spread(BidPrice, AskPrice);

    public double SpreadBps => PriceMath.SpreadBps(BidPrice, AskPrice);

    /// <summary>Bitwise equality: NaN equals NaN with the same payload, and 0.0 differs from -0.0.</summary>
    public bool Equals(Quote other) =>
        BitConverter.DoubleToInt64Bits(BidPrice) == BitConverter.DoubleToInt64Bits(other.BidPrice)
        && BitConverter.DoubleToInt64Bits(BidSize) == BitConverter.DoubleToInt64Bits(other.BidSize)
        && BitConverter.DoubleToInt64Bits(AskPrice) == BitConverter.DoubleToInt64Bits(other.AskPrice)
        && BitConverter.DoubleToInt64Bits(AskSize) == BitConverter.DoubleToInt64Bits(other.AskSize)
        && Timestamp == other.Timestamp
        && Sequence == other.Sequence;

    public override bool Equals(object? obj) => obj is Quote other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(BidPrice, AskPrice, Timestamp, Sequence);

    public static bool operator ==(Quote left, Quote right) => left.Equals(right);

    public static bool operator !=(Quote left, Quote right) => !left.Equals(right);

    public override string ToString() =>
        FormattableString.Invariant($"{BidSize}@{BidPrice:R} / {AskSize}@{AskPrice:R} t={Timestamp} seq={Sequence}");
}
