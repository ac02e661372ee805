namespace Edge.Protocol.WebSockets;

/// <summary>
/// Outcome of <see cref="WebSocketFrame.TryReadHeader"/>. Every value other than
/// <see cref="Ok"/> and <see cref="Incomplete"/> is a protocol error: close with 1002.
/// </summary>
public enum WebSocketFrameHeaderStatus : byte
{
    Ok = 0,

    /// <summary>Not enough bytes yet for the whole header; read more and try again.</summary>
    Incomplete,

    /// <summary>RSV1-3 set while no extension is negotiated (Edge negotiates none).</summary>
    ReservedBitsSet,

    /// <summary>Opcode 0x3-0x7 or 0xB-0xF.</summary>
    ReservedOpcode,

    /// <summary>A close, ping or pong without FIN.</summary>
    FragmentedControlFrame,

    /// <summary>A close, ping or pong with a payload over 125 bytes.</summary>
    ControlFrameTooLong,

    /// <summary>A 16-bit length below 126 or a 64-bit length below 65536: RFC 6455 §5.2 says the minimal form MUST be used.</summary>
    NonMinimalLength,

    /// <summary>A 64-bit length with its most significant bit set.</summary>
    LengthTooLarge,

    /// <summary>An unmasked frame from a client (RFC 6455 §5.1: the server MUST close).</summary>
    MaskRequired,

    /// <summary>A masked frame from a server (RFC 6455 §5.1: the client MUST close).</summary>
    UnexpectedMask,
}
