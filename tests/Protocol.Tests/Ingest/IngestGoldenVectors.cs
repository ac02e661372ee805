namespace Edge.Protocol.Tests.Ingest;

/// <summary>The ingest example of docs/protocol.md, written out by hand from the layout table.</summary>
internal static class IngestGoldenVectors
{
    // EURUSD, bid 1.0834 x 1,000,000 on LMAX, ask 1.0836 x 2,500,000 on EBS,
    // timestamp 1700000000123456789 ns, sequence 42.
    public const string EurUsd =
        "30 00  01 00  ed 00  01 00" // header: blockLength 48, template 1, schema 0xED, version 1
        + " 15 cd 85 3d fe 9c 97 17" // timestamp 1700000000123456789 (int64 LE)
        + " 2a 00 00 00 00 00 00 00" // sequence 42 (uint64 LE)
        + " 4b c8 07 3d 9b 55 f1 3f" // bid price 1.0834 (float64 LE)
        + " 00 00 00 00 80 84 2e 41" // bid size 1000000.0
        + " 2d 21 1f f4 6c 56 f1 3f" // ask price 1.0836
        + " 00 00 00 00 d0 12 43 41" // ask size 2500000.0
        + " 06 45 55 52 55 53 44" //    symbol "EURUSD"
        + " 04 4c 4d 41 58" //          bid source "LMAX"
        + " 03 45 42 53"; //            ask source "EBS"

    public const long Timestamp = 1700000000123456789;

    /// <summary>Offset of the symbol's length byte in <see cref="EurUsd"/>.</summary>
    public const int SymbolLengthOffset = 56;

    public static Quote EurUsdQuote => new(1.0834, 1_000_000, 1.0836, 2_500_000, Timestamp, 42);
}
