using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Edge.Protocol.Aeron;

/// <summary>
/// The 8-byte header every Aeron frame starts with, defined once (Aeron's HeaderFlyweight): frame_length (int32) at 0,
/// version (int8) at 4, flags (uint8) at 5, type (int16) at 6, all little-endian. The static readers serve the hot
/// path (a span, no wrapper); the instance view and every other flyweight's <c>Header</c> are built on them.
/// </summary>
public readonly ref struct FrameHeaderFlyweight
{
    public const int FrameLengthOffset = 0;
    public const int VersionOffset = 4;
    public const int FlagsOffset = 5;
    public const int TypeOffset = 6;

    private readonly ReadOnlySpan<byte> _buffer;

    /// <summary>Wraps the first 8 bytes of <paramref name="frame"/>; throws if it is shorter (check first).</summary>
    public FrameHeaderFlyweight(ReadOnlySpan<byte> frame) => _buffer = frame[..AeronProtocol.FrameHeaderLength];

    public int FrameLength => ReadFrameLength(_buffer);

    public byte Version => ReadVersion(_buffer);

    public byte Flags => ReadFlags(_buffer);

    public AeronFrameType Type => ReadType(_buffer);

    /// <summary>The frame_length of the frame at the start of <paramref name="frame"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ReadFrameLength(ReadOnlySpan<byte> frame) => BinaryPrimitives.ReadInt32LittleEndian(frame[FrameLengthOffset..]);

    /// <summary>The version of the frame at the start of <paramref name="frame"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte ReadVersion(ReadOnlySpan<byte> frame) => frame[VersionOffset];

    /// <summary>The flags of the frame at the start of <paramref name="frame"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static byte ReadFlags(ReadOnlySpan<byte> frame) => frame[FlagsOffset];

    /// <summary>The type of the frame at the start of <paramref name="frame"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static AeronFrameType ReadType(ReadOnlySpan<byte> frame) =>
        (AeronFrameType)BinaryPrimitives.ReadInt16LittleEndian(frame[TypeOffset..]);

    /// <summary>
    /// Writes a common header into the first 8 bytes of <paramref name="destination"/>. The frame length goes last,
    /// as Aeron writes it, so that a reader of the same memory that sees a non-zero length sees the whole header.
    /// </summary>
    public static void Encode(Span<byte> destination, int frameLength, byte flags, AeronFrameType type)
    {
        BinaryPrimitives.WriteInt16LittleEndian(destination[TypeOffset..(TypeOffset + sizeof(short))], (short)type);
        destination[FlagsOffset] = flags;
        destination[VersionOffset] = AeronProtocol.CurrentVersion;
        BinaryPrimitives.WriteInt32LittleEndian(destination[FrameLengthOffset..], frameLength);
    }
}
