namespace Edge.Server.Sessions;

/// <summary>What the token bucket says of one client command (<see cref="MarketDataCommands.TakeCommand"/>).</summary>
public enum CommandRateVerdict
{
    /// <summary>Within the rate: answer it.</summary>
    Within,

    /// <summary>Over the rate: refuse it with <c>RATE_LIMITED</c>, keep the connection.</summary>
    Over,

    /// <summary>Over the rate too many times in a row: close the connection (1008).</summary>
    Flooding,
}
