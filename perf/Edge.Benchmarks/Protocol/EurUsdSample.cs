using Edge.Protocol;

namespace Edge.Benchmarks.Protocol;

/// <summary>The one price the encoding benchmarks write (protocol.md's EUR/USD example), so their rows compare.</summary>
internal static class EurUsdSample
{
    public static readonly byte[] Symbol = "EURUSD"u8.ToArray();
    public static readonly byte[] BidSource = "LMAX"u8.ToArray();
    public static readonly byte[] AskSource = "EBS"u8.ToArray();
    public static readonly Quote SampleQuote = new(1.0834, 1_000_000, 1.0836, 2_500_000, 1700000000123456789, 42);
}
