using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Edge.Protocol.Client;

/// <summary>
/// Up to 16 bytes of a pre-encoded name held as two machine words, so a span encoder writes a name with two stores
/// instead of a variable-length copy (a call per key: measurable on the hot path, where a price has 20 names).
/// </summary>
internal readonly struct PackedWireBytes
{
    public const int Capacity = 16;

    private readonly ulong _head;
    private readonly ulong _tail;

    public PackedWireBytes(ReadOnlySpan<byte> bytes)
    {
        Length = bytes.Length;
        if (bytes.Length > Capacity)
        {
            return;
        }

        Span<byte> padded = stackalloc byte[Capacity];
        padded.Clear();
        bytes.CopyTo(padded);
        _head = MemoryMarshal.Read<ulong>(padded);
        _tail = MemoryMarshal.Read<ulong>(padded[8..]);
    }

    /// <summary>The bytes' length; packed only when it is at most <see cref="Capacity"/>.</summary>
    public int Length { get; }

    /// <summary>
    /// Writes the bytes at <paramref name="position"/> when they are packed and 16 bytes of room remain (the store may
    /// write zeros past them, which later writes overwrite); returns false otherwise, for the caller to copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryWrite(Span<byte> destination, int position)
    {
        if (Length > Capacity || destination.Length - position < Capacity)
        {
            return false;
        }

        ref var start = ref Unsafe.Add(ref MemoryMarshal.GetReference(destination), position);
        Unsafe.WriteUnaligned(ref start, _head);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, 8), _tail);
        return true;
    }
}
