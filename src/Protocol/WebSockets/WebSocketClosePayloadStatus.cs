namespace Edge.Protocol.WebSockets;

/// <summary>Outcome of <see cref="WebSocketClosePayload.TryRead"/>, with the close code to answer with.</summary>
public enum WebSocketClosePayloadStatus : byte
{
    Ok = 0,

    /// <summary>An empty payload: legal, and means "no status code" (1005 locally). Answer with 1000.</summary>
    NoStatusCode,

    /// <summary>A one-byte payload: a truncated code. Answer with 1002.</summary>
    Truncated,

    /// <summary>More than 125 bytes. Answer with 1002.</summary>
    TooLong,

    /// <summary>A code that must not appear on the wire (<see cref="WebSocketCloseCode.IsValidOnWire"/>). Answer with 1002.</summary>
    InvalidCode,

    /// <summary>The reason is not well-formed UTF-8. Answer with 1007.</summary>
    InvalidUtf8,
}
