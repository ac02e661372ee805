namespace Edge.Server.SocketIo;

/// <summary>
/// The socket.io endpoint (section <c>SocketIo</c>): Engine.IO v4 over WebSocket at <see cref="Path"/> on the server
/// port, namespace <c>/market-data</c>, for front ends written against the original gateway's socket.io client SDK.
/// </summary>
public sealed class SocketIoOptions
{
    /// <summary>Serve the socket.io endpoint; when false its path answers 404.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The Engine.IO path (socket.io-client's <c>path</c> option; its default is <c>/socket.io/</c>).</summary>
    public string Path { get; set; } = "/socket.io/";

    /// <summary>Engine.IO's <c>pingInterval</c>: the server pings this often (milliseconds).</summary>
    public int PingIntervalMilliseconds { get; set; } = 25_000;

    /// <summary>Engine.IO's <c>pingTimeout</c>: a client that does not answer a ping in this time is closed (milliseconds).</summary>
    public int PingTimeoutMilliseconds { get; set; } = 20_000;

    /// <summary>A connection that has not joined the namespace this long after the open packet is closed (milliseconds).</summary>
    public int ConnectTimeoutMilliseconds { get; set; } = 45_000;

    public void Validate(List<string> errors)
    {
        if (string.IsNullOrEmpty(Path) || Path[0] != '/' || Path.Contains('?', StringComparison.Ordinal) || Path.Contains('#', StringComparison.Ordinal))
        {
            errors.Add($"SocketIo:Path must start with '/' and hold no query or fragment (got '{Path}').");
        }

        if (PingIntervalMilliseconds is < 50 or > 3_600_000 || PingTimeoutMilliseconds is < 50 or > 3_600_000)
        {
            errors.Add("SocketIo:PingIntervalMilliseconds and SocketIo:PingTimeoutMilliseconds must be between 50 and 3600000.");
        }

        if (ConnectTimeoutMilliseconds is < 50 or > 3_600_000)
        {
            errors.Add($"SocketIo:ConnectTimeoutMilliseconds must be between 50 and 3600000 (got {ConnectTimeoutMilliseconds}).");
        }
    }
}
