namespace Edge.Server.WebSockets;

/// <summary>A path that speaks WebSocket: its name (for metrics), the subprotocols it offers and its admission policy.</summary>
public sealed class WebSocketEndpoint
{
    public WebSocketEndpoint(string name, string path, IReadOnlyList<string> subprotocols, IWebSocketAdmission? admission)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(subprotocols);
        Name = name;
        Path = path;
        Subprotocols = [.. subprotocols];
        Admission = admission;
    }

    public string Name { get; }

    /// <summary>The request path (without query), compared exactly.</summary>
    public string Path { get; }

    /// <summary>Subprotocols the endpoint speaks; the client's first offered match is echoed. Empty: it speaks none.</summary>
    public string[] Subprotocols { get; }

    /// <summary>The admission policy; null answers every handshake with 503 (the endpoint is not wired up yet).</summary>
    public IWebSocketAdmission? Admission { get; }
}
