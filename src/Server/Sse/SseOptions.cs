namespace Edge.Server.Sse;

/// <summary>
/// The Server-Sent Events endpoint (section <c>Sse</c>): <c>GET /market-data/stream?symbols=...</c> on the server port,
/// with the WebSocket path's authentication, origins, quotas and fan-out.
/// </summary>
public sealed class SseOptions
{
    /// <summary>Serve the SSE endpoint; when false its path answers 404.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The path of the stream.</summary>
    public string Path { get; set; } = "/market-data/stream";

    /// <summary>Seconds between <c>: hb</c> comment heartbeats (they keep proxies from closing a quiet stream).</summary>
    public int HeartbeatSeconds { get; set; } = 15;

    /// <summary>The <c>retry:</c> advice sent at the start: how long a browser waits before reconnecting, in milliseconds.</summary>
    public int RetryMilliseconds { get; set; } = 3000;

    /// <summary>Most symbols in one stream's <c>symbols</c> list (the tenant's subscription limit applies too).</summary>
    public int MaxSymbolsPerStream { get; set; } = 100;

    public void Validate(List<string> errors)
    {
        if (string.IsNullOrEmpty(Path) || Path[0] != '/' || Path.Contains('?', StringComparison.Ordinal) || Path.Contains('#', StringComparison.Ordinal))
        {
            errors.Add($"Sse:Path must start with '/' and hold no query or fragment (got '{Path}').");
        }

        if (HeartbeatSeconds is < 1 or > 3600)
        {
            errors.Add($"Sse:HeartbeatSeconds must be between 1 and 3600 (got {HeartbeatSeconds}).");
        }

        if (RetryMilliseconds is < 0 or > 3_600_000)
        {
            errors.Add($"Sse:RetryMilliseconds must be between 0 and 3600000 (got {RetryMilliseconds}).");
        }

        if (MaxSymbolsPerStream is < 1 or > 10_000)
        {
            errors.Add($"Sse:MaxSymbolsPerStream must be between 1 and 10000 (got {MaxSymbolsPerStream}).");
        }
    }
}
