namespace Edge.Server.Demo;

/// <summary>A simulated instrument: its symbol, a realistic starting mid, its typical spread and volatility.</summary>
public sealed record DemoInstrument(string Symbol, double StartMid, double Spread, double Volatility, int Decimals, double TypicalSize);
