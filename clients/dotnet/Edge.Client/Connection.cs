using System.Net.WebSockets;
using Edge.Protocol.Client;

namespace Edge.Client;

/// <summary>One WebSocket connection's state; a reconnection makes a new one.</summary>
internal sealed class Connection(ClientWebSocket socket, string token, ClientEncoding encoding) : IDisposable
{
    // A field so the receive loop can grow it in place (Array.Resize).
    public byte[] Buffer = new byte[16 * 1024];

    public ClientWebSocket Socket { get; } = socket;

    public string Token { get; } = token;

    public ClientEncoding Encoding { get; } = encoding;

    /// <summary>Cancelled when the connection ends: stops its watchdog and token refresh.</summary>
    public CancellationTokenSource Stop { get; } = new();

    public string? ClientId { get; set; }

    public ConnectionLimits? Limits { get; set; }

    public int HeartbeatIntervalMs { get; set; }

    private long _lastReceived;

    /// <summary>Environment.TickCount64 of the last message; written by the receive loop, read by the watchdog.</summary>
    public long LastReceived
    {
        get => Interlocked.Read(ref _lastReceived);
        set => Interlocked.Exchange(ref _lastReceived, value);
    }

    public volatile bool HeartbeatTimedOut;

    private int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Stop.Cancel();
        Stop.Dispose();
        Socket.Dispose();
    }
}
