namespace Edge.Server.Sessions;

/// <summary>Per-connection behaviour of market-data sessions (section <c>Session</c>).</summary>
public sealed class SessionOptions
{
    /// <summary>Seconds between <c>heartbeat</c> messages (each with a WebSocket ping).</summary>
    public int HeartbeatIntervalSeconds { get; set; } = 30;

    /// <summary>A connection with no inbound bytes (messages, pongs) for this long is closed.</summary>
    public int IdleTimeoutSeconds { get; set; } = 120;

    /// <summary>A client refused this many commands in a row for flooding is closed with 1008.</summary>
    public int FloodCloseAfterRejected { get; set; } = 100;

    /// <summary>Most symbols in one subscribe or unsubscribe.</summary>
    public int MaxSymbolsPerRequest { get; set; } = 100;

    /// <summary>Largest client command, in bytes.</summary>
    public int MaxCommandBytes { get; set; } = 16 * 1024;

    public List<string> Validate()
    {
        var errors = new List<string>();
        if (HeartbeatIntervalSeconds < 1 || IdleTimeoutSeconds < 1)
        {
            errors.Add("Session:HeartbeatIntervalSeconds and Session:IdleTimeoutSeconds must be at least 1.");
        }

        if (IdleTimeoutSeconds <= HeartbeatIntervalSeconds)
        {
            errors.Add("Session:IdleTimeoutSeconds must be longer than Session:HeartbeatIntervalSeconds (pongs to the heartbeat pings keep a quiet client alive).");
        }

        if (FloodCloseAfterRejected < 1 || MaxSymbolsPerRequest < 1 || MaxCommandBytes < 64)
        {
            errors.Add("Session:FloodCloseAfterRejected and MaxSymbolsPerRequest must be at least 1, MaxCommandBytes at least 64.");
        }

        return errors;
    }
}
