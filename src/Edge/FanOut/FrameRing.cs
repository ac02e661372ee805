using Edge.Protocol.Client;

namespace Edge.Server.FanOut;

/// <summary>
/// The encoded frames of the price ring's events, stored beside the ring at the same index: one fixed-size
/// cell per slot and encoding. The frame stage writes a cell when it encodes that sequence; the event loops
/// read it while they fan the event out. There are four encodings: MessagePack, JSON and socket.io WebSocket
/// frames, and SSE chunks. The ring's gating guarantees no loop still reads a cell the stage
/// rewrites, so there is no reference counting and nothing to release.
/// </summary>
public sealed class FrameRing
{
    private readonly byte[][] _cells;
    private readonly int[][] _lengths;
    private readonly int _mask;

    public FrameRing(int capacity)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentException("capacity must be a power of two", nameof(capacity));
        }

        _mask = capacity - 1;
        _cells = [new byte[capacity * Stride], new byte[capacity * Stride], new byte[capacity * Stride], new byte[capacity * Stride]];
        _lengths = [new int[capacity], new int[capacity], new int[capacity], new int[capacity]];
    }

    /// <summary>Bytes reserved per frame: the price encoder's worst case.</summary>
    public static int Stride => PriceFrameEncoder.MaxFrameLength;

    /// <summary>The whole cell of a sequence, to encode into. Frame stage only.</summary>
    public Span<byte> Cell(ClientEncoding encoding, long sequence) =>
        _cells[(int)encoding].AsSpan((int)(sequence & _mask) * Stride, Stride);

    /// <summary>Records the frame length of a cell; 0 means that encoding was not produced for the sequence.</summary>
    public void SetLength(ClientEncoding encoding, long sequence, int length) => _lengths[(int)encoding][(int)(sequence & _mask)] = length;

    /// <summary>The frame of a sequence, empty when that encoding was not produced.</summary>
    public ReadOnlySpan<byte> Frame(ClientEncoding encoding, long sequence)
    {
        var index = (int)(sequence & _mask);
        return _cells[(int)encoding].AsSpan(index * Stride, _lengths[(int)encoding][index]);
    }
}
