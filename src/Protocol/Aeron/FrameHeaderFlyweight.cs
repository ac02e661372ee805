using System.Buffers.Binary;

namespace Edge.Protocol.Aeron;

/// <summary>
/// The 8-byte header every Aeron frame starts with: frame_length (int32), version (int8), flags (uint8),
/// type (int16), all little-endian. A read-only view: nothing is copied.
/// </summary>
public readonly ref struct FrameHeaderFlyweight
{
    private readonly ReadOnlySpan<byte> _buffer;

    /// <summary>Wraps the first 8 bytes of <paramref name="frame"/>; throws if it is shorter (check first).</summary>
    public FrameHeaderFlyweight(ReadOnlySpan<byte> frame) => _buffer = frame[..AeronProtocol.FrameHeaderLength];

    public int FrameLength => BinaryPrimitives.ReadInt32LittleEndian(_buffer);

    public byte Version => _buffer[4];

    public byte Flags => _buffer[5];

    public AeronFrameType Type => (AeronFrameType)BinaryPrimitives.ReadInt16LittleEndian(_buffer[6..]);

    /// <summary>Writes a common header into the first 8 bytes of <paramref name="destination"/>.</summary>
    public static void Encode(Span<byte> destination, int frameLength, byte flags, AeronFrameType type)
    {
        BinaryPrimitives.WriteInt16LittleEndian(destination[6..8], (short)type);
        destination[5] = flags;
        destination[4] = AeronProtocol.CurrentVersion;
        BinaryPrimitives.WriteInt32LittleEndian(destination, frameLength);
    }
}
