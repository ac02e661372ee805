namespace Edge.Protocol.Aeron;

/// <summary>The frame types of the Aeron UDP protocol (the 16-bit little-endian field at offset 6).</summary>
public enum AeronFrameType : short
{
    /// <summary>Padding: fills the rest of a term; only its 32-byte header goes on the wire.</summary>
    Pad = 0x00,

    /// <summary>Data: a message or a fragment of one; a 32-byte datagram with frame length 0 is a heartbeat.</summary>
    Data = 0x01,

    /// <summary>Negative acknowledgement: the receiver asks for a range to be re-sent.</summary>
    Nak = 0x02,

    /// <summary>Status message: the receiver's consumption position and window (flow control).</summary>
    StatusMessage = 0x03,

    /// <summary>Error: the receiver rejects an image.</summary>
    Error = 0x04,

    /// <summary>Setup: the sender announces a stream's term layout and current position.</summary>
    Setup = 0x05,

    /// <summary>Round-trip-time measurement.</summary>
    RttMeasurement = 0x06,

    /// <summary>Name-resolution gossip between drivers; never on a data channel.</summary>
    Resolution = 0x07,

    /// <summary>Response-channel setup.</summary>
    ResponseSetup = 0x0B,

    /// <summary>Extension.</summary>
    Extension = -1,
}
