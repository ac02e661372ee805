using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Edge.Protocol.WebSockets;

/// <summary>RFC 6455 §5.3 masking: XOR with the 4-byte key, in place, a vector at a time.</summary>
public static class WebSocketMask
{
    /// <summary>
    /// Masks or unmasks <paramref name="data"/> in place. <paramref name="maskKey"/> is the key in
    /// wire order (big-endian, as <see cref="WebSocketFrameHeader.MaskKey"/>); <paramref name="offset"/>
    /// is how many payload bytes came before <paramref name="data"/>, so a payload arriving in
    /// pieces can be unmasked piece by piece.
    /// </summary>
    public static void Apply(Span<byte> data, uint maskKey, long offset = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);

        // Rotate the key so that data[0] meets key byte (offset % 4), then lay it out as it sits in memory.
        var rotated = BitOperations.RotateLeft(maskKey, 8 * (int)(offset & 3));
        var pattern = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(rotated) : rotated;

        var i = 0;
        if (Vector.IsHardwareAccelerated && data.Length >= Vector<byte>.Count)
        {
            // Vector<byte>.Count is a multiple of 4, so every vector starts at key byte 0 of the pattern.
            var mask = new Vector<uint>(pattern).As<uint, byte>();
            ref var start = ref MemoryMarshal.GetReference(data);
            var last = data.Length - Vector<byte>.Count;
            for (; i <= last; i += Vector<byte>.Count)
            {
                (Vector.LoadUnsafe(ref start, (nuint)i) ^ mask).StoreUnsafe(ref start, (nuint)i);
            }
        }

        for (; i + 4 <= data.Length; i += 4)
        {
            var word = MemoryMarshal.Read<uint>(data[i..]) ^ pattern;
            MemoryMarshal.Write(data[i..], in word);
        }

        // The tail: fewer than 4 bytes, still aligned with key byte 0 of the pattern.
        for (var k = 0; i < data.Length; i++, k++)
        {
            data[i] ^= (byte)(rotated >> (24 - (8 * k)));
        }
    }
}
