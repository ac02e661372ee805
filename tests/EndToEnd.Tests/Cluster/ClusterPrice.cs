namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// The cluster publisher's prices are a function of symbol and sequence, so a client can check that every price it
/// gets is the publisher's price for that sequence, whichever Edge served it.
/// </summary>
internal static class ClusterPrice
{
    /// <summary>Whole numbers: exact in a double, and the same after MessagePack.</summary>
    public static double Bid(int symbolIndex, ulong sequence) => ((symbolIndex + 1) * 1_000_000.0) + sequence;

    public static double Ask(int symbolIndex, ulong sequence) => Bid(symbolIndex, sequence) + 0.5;
}
