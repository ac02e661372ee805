using Edge.Protocol.Client;

namespace Edge.Server.FanOut;

/// <summary>
/// The encoded frames of the price ring's events, stored beside the ring at the same index: one fixed-size
/// cell per slot and encoding. The frame stage stores a frame when it encodes that sequence; the event loops
/// read it while they fan the event out. There are four encodings: MessagePack, JSON and socket.io WebSocket
/// frames, and SSE chunks. The ring's gating guarantees no loop still reads a cell the stage
/// rewrites, so there is no reference counting and nothing to release.
/// </summary>
/// <remarks>
/// Cells are sized for the frames that occur (a price is about 200 bytes in MessagePack, 300 in the text encodings),
/// not for the encoder's worst case (<see cref="PriceFrameEncoder.MaxFrameLength"/>): every cell of a lapped ring is
/// touched, so the cell size is resident memory (8192 slots × 1 KiB was 8 MiB per encoding). A frame longer than its
/// cell (names near their limits) goes to that slot's overflow array, made on first need and kept for the next lap.
/// </remarks>
public sealed class EncodedPriceRing
{
    /// <summary>Cell bytes per encoding, indexed by <see cref="ClientEncoding"/>.</summary>
    private static ReadOnlySpan<int> CellBytes => [256, 512, 512, 512];

    private readonly byte[][] _cells;
    private readonly int[][] _lengths;
    private readonly byte[]?[][] _overflow;
    private readonly int _mask;

    public EncodedPriceRing(int capacity)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentException("capacity must be a power of two", nameof(capacity));
        }

        _mask = capacity - 1;
        _cells = new byte[CellBytes.Length][];
        _lengths = new int[CellBytes.Length][];
        _overflow = new byte[]?[CellBytes.Length][];
        for (var encoding = 0; encoding < CellBytes.Length; encoding++)
        {
            // Pinned: a direct write sends frames from their cells (one gathered sendmsg) instead of copying them.
            _cells[encoding] = GC.AllocateArray<byte>(capacity * CellBytes[encoding], pinned: true);
            _lengths[encoding] = new int[capacity];
            _overflow[encoding] = new byte[]?[capacity];
        }
    }

    /// <summary>Marks that <paramref name="encoding"/> was not produced for the sequence. Frame stage only.</summary>
    public void Clear(ClientEncoding encoding, long sequence) => _lengths[(int)encoding][(int)(sequence & _mask)] = 0;

    /// <summary>Stores the frame of a sequence (at most <see cref="PriceFrameEncoder.MaxFrameLength"/> bytes). Frame stage only.</summary>
    public void Store(ClientEncoding encoding, long sequence, ReadOnlySpan<byte> frame)
    {
        var index = (int)(sequence & _mask);
        var cellBytes = CellBytes[(int)encoding];
        if (frame.Length <= cellBytes)
        {
            frame.CopyTo(_cells[(int)encoding].AsSpan(index * cellBytes, cellBytes));
        }
        else
        {
            ref var overflow = ref _overflow[(int)encoding][index];
            overflow ??= GC.AllocateArray<byte>(PriceFrameEncoder.MaxFrameLength, pinned: true);
            frame.CopyTo(overflow);
        }

        _lengths[(int)encoding][index] = frame.Length;
    }

    /// <summary>
    /// The frame of a sequence, empty when that encoding was not produced. It lies in pinned memory that stays unchanged
    /// until the ring's producer passes the reading loop's consumed sequence, so a loop may hand it to a transport by
    /// reference (<see cref="Transport.IClientTransport.CorkPinned"/>) until it moves that sequence on.
    /// </summary>
    public ReadOnlySpan<byte> Frame(ClientEncoding encoding, long sequence)
    {
        var index = (int)(sequence & _mask);
        var length = _lengths[(int)encoding][index];
        var cellBytes = CellBytes[(int)encoding];
        return length <= cellBytes
            ? _cells[(int)encoding].AsSpan(index * cellBytes, length)
            : _overflow[(int)encoding][index].AsSpan(0, length);
    }
}
