using System.Numerics;

namespace Edge.Protocol.Aeron;

/// <summary>
/// Position arithmetic of an Aeron log: a position is a 64-bit byte count from the start of the stream,
/// <c>((term_id - initial_term_id) as wrapping int32) &lt;&lt; log2(term_length) + term_offset</c>.
/// </summary>
public static class AeronLogBuffer
{
    /// <summary>log2 of a (power-of-two) term length: the shift that turns a term count into a position.</summary>
    public static int PositionBitsToShift(int termLength) => BitOperations.TrailingZeroCount(termLength);

    /// <summary>The stream position of <paramref name="termOffset"/> in term <paramref name="termId"/>.</summary>
    public static long ComputePosition(int termId, int termOffset, int positionBitsToShift, int initialTermId)
    {
        // The subtraction wraps in 32 bits, exactly as the C and Java drivers do.
        long termCount = unchecked(termId - initialTermId);
        return (termCount << positionBitsToShift) + termOffset;
    }

    /// <summary>The term id that holds <paramref name="position"/>.</summary>
    public static int ComputeTermId(long position, int positionBitsToShift, int initialTermId) =>
        unchecked((int)(position >> positionBitsToShift) + initialTermId);

    /// <summary>The offset of <paramref name="position"/> inside its term.</summary>
    public static int ComputeTermOffset(long position, int positionBitsToShift) =>
        (int)(position & ((1L << positionBitsToShift) - 1));

    /// <summary>Which of the three term buffers holds <paramref name="position"/>.</summary>
    public static int PartitionIndex(long position, int positionBitsToShift) =>
        (int)((position >> positionBitsToShift) % AeronProtocol.PartitionCount);

    /// <summary>Rounds <paramref name="value"/> up to a multiple of <paramref name="alignment"/> (a power of two).</summary>
    public static int Align(int value, int alignment) => (value + (alignment - 1)) & ~(alignment - 1);

    /// <summary>A term length is a power of two between 64 KiB and 1 GiB.</summary>
    public static bool IsValidTermLength(int termLength) =>
        termLength >= AeronProtocol.MinTermLength
        && termLength <= AeronProtocol.MaxTermLength
        && BitOperations.IsPow2(termLength);

    /// <summary>An MTU is a multiple of 32 between 32 and 65504.</summary>
    public static bool IsValidMtu(int mtu) =>
        mtu >= AeronProtocol.DataHeaderLength
        && mtu <= AeronProtocol.MaxMtu
        && (mtu & (AeronProtocol.FrameAlignment - 1)) == 0;

    /// <summary>The longest message a log with this term length can carry: min(term_length / 8, 16 MiB).</summary>
    public static int MaxMessageLength(int termLength) =>
        Math.Min(termLength / 8, AeronProtocol.MaxMessageLengthCeiling);
}
