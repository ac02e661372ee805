namespace Edge.Client;

/// <summary>
/// Something went wrong that no call is waiting for: a fatal close (4002, 4003, 1008, ...), a heartbeat
/// timeout, a failed token refresh, a failed resubscribe, a throwing price callback, reconnection given up.
/// </summary>
public sealed class ClientErrorEventArgs(string code, string message, int? closeCode = null, Exception? exception = null) : EventArgs
{
    /// <summary>A wire error code (e.g. <c>UNAUTHORIZED</c>) or one of the SDK's own (<c>HEARTBEAT_TIMEOUT</c>, <c>CLOSED</c>, <c>RECONNECT_FAILED</c>, <c>TOKEN_REFRESH_FAILED</c>, <c>RESUBSCRIBE_FAILED</c>, <c>CALLBACK_FAILED</c>).</summary>
    public string Code { get; } = code;

    public string Message { get; } = message;

    /// <summary>The close code, when the error is a close.</summary>
    public int? CloseCode { get; } = closeCode;

    public Exception? Exception { get; } = exception;
}
