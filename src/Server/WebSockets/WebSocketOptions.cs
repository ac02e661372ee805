namespace Edge.Server.WebSockets;

/// <summary>
/// The WebSocket transport's settings (configuration section <c>WebSocket</c>, e.g. <c>WebSocket:EchoPath</c> or
/// <c>EDGE_WebSocket__EchoPath</c>). Plain get/set properties and an array so the source-generated binder can bind
/// them; the array starts empty because the binder appends to existing elements.
/// </summary>
public sealed class WebSocketOptions
{
    public const int DefaultMaxMessageBytes = 64 * 1024;

    /// <summary>Path of the market-data endpoint (authenticated).</summary>
    public string Path { get; set; } = "/market-data";

    /// <summary>
    /// Path of the conformance echo endpoint (no authentication; echoes every message). Empty or null: off.
    /// Meant for conformance suites such as Autobahn's fuzzingclient, not for production.
    /// </summary>
    public string? EchoPath { get; set; }

    /// <summary>Largest message (all fragments together) a client may send; a larger one is closed with 1009.</summary>
    public int MaxMessageBytes { get; set; } = DefaultMaxMessageBytes;

    /// <summary>
    /// Seconds a connection may take to deliver a complete HTTP request head, counted from the connection's
    /// start and, on a kept-alive plain-HTTP connection, from its previous request. Closes slowloris clients.
    /// </summary>
    public int HandshakeTimeoutSeconds { get; set; } = 5;

    /// <summary>Seconds the server waits for the client's close frame after sending its own, then closes TCP.</summary>
    public int CloseTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// <c>Origin</c> values allowed to open a market-data connection (e.g. <c>https://app.example.com</c>, compared
    /// case-insensitively). Empty: any origin. A request without <c>Origin</c> (not a browser) is always allowed.
    /// </summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>Adds every problem to <paramref name="errors"/> as a configuration path and an explanation.</summary>
    public void Validate(List<string> errors)
    {
        if (!IsPath(Path))
        {
            errors.Add($"WebSocket:Path must start with '/' and hold no '?', '#' or spaces (got '{Path}').");
        }

        if (!string.IsNullOrEmpty(EchoPath) && (!IsPath(EchoPath) || string.Equals(EchoPath, Path, StringComparison.Ordinal)))
        {
            errors.Add($"WebSocket:EchoPath must be a path like WebSocket:Path and differ from it (got '{EchoPath}').");
        }

        if (MaxMessageBytes is < 125 or > 16 * 1024 * 1024)
        {
            errors.Add($"WebSocket:MaxMessageBytes must be between 125 and 16777216 (got {MaxMessageBytes}).");
        }

        if (HandshakeTimeoutSeconds is < 1 or > 300)
        {
            errors.Add($"WebSocket:HandshakeTimeoutSeconds must be between 1 and 300 (got {HandshakeTimeoutSeconds}).");
        }

        if (CloseTimeoutSeconds is < 1 or > 300)
        {
            errors.Add($"WebSocket:CloseTimeoutSeconds must be between 1 and 300 (got {CloseTimeoutSeconds}).");
        }

        foreach (var origin in AllowedOrigins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.PathAndQuery != "/" || origin.EndsWith('/'))
            {
                errors.Add($"WebSocket:AllowedOrigins: '{origin}' is not an origin like https://app.example.com (scheme, host, optional port; no path).");
            }
        }
    }

    private static bool IsPath(string? path) =>
        !string.IsNullOrEmpty(path) && path[0] == '/' && path.AsSpan().IndexOfAny("?# \t") < 0;
}
