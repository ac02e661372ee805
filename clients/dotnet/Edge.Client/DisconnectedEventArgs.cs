namespace Edge.Client;

/// <summary>A connection ended. <see cref="CloseCode"/> is the server's close code, or 1006 when the connection dropped.</summary>
public sealed class DisconnectedEventArgs(int closeCode, string reason, bool willReconnect) : EventArgs
{
    public int CloseCode { get; } = closeCode;

    public string Reason { get; } = reason;

    /// <summary>Whether the client is going to reconnect and resubscribe.</summary>
    public bool WillReconnect { get; } = willReconnect;
}
