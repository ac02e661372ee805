namespace Edge.Server.Demo;

/// <summary>A few dozen FX, crypto and equity instruments with prices in the right region, for the demo feed.</summary>
public static class DemoInstruments
{
    public static IReadOnlyList<DemoInstrument> All { get; } =
    [
        // FX majors and crosses: pip-sized spreads.
        new("EUR/USD", 1.0850, 0.00008, 0.00004, 5, 1_000_000),
        new("GBP/USD", 1.2700, 0.00010, 0.00005, 5, 1_000_000),
        new("USD/JPY", 151.20, 0.010, 0.006, 3, 1_000_000),
        new("USD/CHF", 0.8850, 0.00010, 0.00004, 5, 1_000_000),
        new("AUD/USD", 0.6550, 0.00008, 0.00004, 5, 1_000_000),
        new("USD/CAD", 1.3600, 0.00010, 0.00005, 5, 1_000_000),
        new("NZD/USD", 0.6050, 0.00012, 0.00004, 5, 1_000_000),
        new("EUR/GBP", 0.8540, 0.00010, 0.00003, 5, 1_000_000),
        new("EUR/JPY", 164.00, 0.015, 0.007, 3, 1_000_000),
        new("GBP/JPY", 192.00, 0.020, 0.009, 3, 1_000_000),
        new("EUR/CHF", 0.9600, 0.00012, 0.00004, 5, 1_000_000),
        new("USD/SEK", 10.450, 0.0020, 0.0008, 4, 1_000_000),
        new("USD/NOK", 10.600, 0.0025, 0.0009, 4, 1_000_000),
        new("USD/MXN", 17.050, 0.0030, 0.0015, 4, 1_000_000),
        new("XAU/USD", 2330.0, 0.25, 0.15, 2, 100),
        // Crypto: wider spreads, more movement.
        new("BTC/USD", 67_000, 5.0, 12.0, 2, 2),
        new("ETH/USD", 3_500, 0.50, 1.2, 2, 20),
        new("SOL/USD", 150.0, 0.05, 0.08, 3, 300),
        new("XRP/USD", 0.5200, 0.0002, 0.0003, 4, 50_000),
        new("ADA/USD", 0.4500, 0.0002, 0.0002, 4, 50_000),
        new("DOGE/USD", 0.1500, 0.00005, 0.0001, 5, 200_000),
        new("LTC/USD", 82.00, 0.03, 0.05, 2, 500),
        new("AVAX/USD", 35.00, 0.02, 0.03, 3, 1_000),
        new("DOT/USD", 7.000, 0.003, 0.005, 3, 5_000),
        new("LINK/USD", 14.50, 0.005, 0.01, 3, 2_000),
        // Equities (US), cent spreads.
        new("AAPL", 190.00, 0.02, 0.04, 2, 500),
        new("MSFT", 420.00, 0.03, 0.08, 2, 300),
        new("NVDA", 900.00, 0.10, 0.30, 2, 200),
        new("AMZN", 180.00, 0.02, 0.05, 2, 500),
        new("GOOGL", 170.00, 0.02, 0.04, 2, 500),
        new("META", 480.00, 0.05, 0.12, 2, 300),
        new("TSLA", 175.00, 0.03, 0.10, 2, 800),
        new("JPM", 195.00, 0.02, 0.04, 2, 400),
        new("V", 275.00, 0.03, 0.05, 2, 300),
        new("XOM", 115.00, 0.01, 0.03, 2, 600),
        new("KO", 62.00, 0.01, 0.01, 2, 1_000),
        new("DIS", 110.00, 0.02, 0.03, 2, 700),
        new("NFLX", 620.00, 0.10, 0.15, 2, 200),
        new("SPY", 520.00, 0.01, 0.06, 2, 2_000),
        new("QQQ", 445.00, 0.01, 0.06, 2, 2_000),
    ];
}
