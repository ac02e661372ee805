using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DotNetty.Buffers;
using Edge.Server.Transport.Native;

namespace Edge.Server.Transport;

/// <summary>
/// The cork of a connection with direct writes: the drain's frames as a list of pieces, written by one gathered
/// <c>sendmsg</c> from where they lie (the encoded-price ring's pinned cells) instead of being copied into a buffer
/// first. Frames from memory that may change before the flush are copied into a small buffer of its own. Kept across
/// drains; loop thread only. A struct held in its <see cref="ChannelTransport"/>'s own field (called in place, never
/// copied), so a delivery reaches the cork's count without one more object to load.
/// </summary>
/// <remarks>
/// Copying every frame into a per-connection buffer touched ≈ 5 MB of corks per drain at 1 M deliveries/s and
/// evicted the sessions from the caches; the ring's frames are hot anyway (each is sent to ≈ 10 subscribers).
/// </remarks>
internal unsafe struct GatherCork
{
    /// <summary>A copy buffer grown past this by a burst is dropped after its write rather than kept.</summary>
    private const int KeptCopyBytes = 16 * 1024;

    private InlineCorkSegments _inline;

    /// <summary>Frames past the inline ones (a big drain), made on first need and kept.</summary>
    private CorkSegment[]? _more;
    private byte[] _copies;
    private int _copied;

    public GatherCork() => _copies = [];

    public int Count { readonly get; private set; }

    public int Bytes { readonly get; private set; }

    /// <summary>Adds a frame by reference: its memory must stay pinned and unchanged until <see cref="Clear"/>.</summary>
    public void AddPinned(ReadOnlySpan<byte> frame)
    {
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(frame));
        Append(new CorkSegment { Address = address, Length = frame.Length });
    }

    /// <summary>Adds a copy of a frame.</summary>
    public void AddCopy(ReadOnlySpan<byte> frame)
    {
        if (_copied + frame.Length > _copies.Length)
        {
            Array.Resize(ref _copies, Math.Max(256, Math.Max(_copies.Length * 2, _copied + frame.Length)));
        }

        frame.CopyTo(_copies.AsSpan(_copied));
        Append(new CorkSegment { CopyOffset = _copied, Length = frame.Length });
        _copied += frame.Length;
    }

    /// <summary>Writes the pieces in order through <paramref name="writer"/>; returns the bytes the socket took.</summary>
    [SkipLocalsInit] // the vector block is filled before it is read; zeroing it cost as much as filling it
    public readonly long WriteTo(DirectSocketWriter writer)
    {
        Span<IoVector> vectors = stackalloc IoVector[SocketCalls.MaxVectors];
        long written = 0;
        fixed (byte* copies = _copies)
        {
            for (var start = 0; start < Count; start += SocketCalls.MaxVectors)
            {
                var count = Math.Min(Count - start, SocketCalls.MaxVectors);
                long wanted = 0;
                for (var i = 0; i < count; i++)
                {
                    ref readonly var segment = ref At(start + i);
                    vectors[i].Base = segment.Address != 0 ? (byte*)segment.Address : copies + segment.CopyOffset;
                    vectors[i].Length = (nuint)segment.Length;
                    wanted += segment.Length;
                }

                var sent = writer.TryWrite(vectors[..count]);
                written += sent;
                if (sent < wanted)
                {
                    break;
                }
            }
        }

        return written;
    }

    /// <summary>Copies the bytes after the first <paramref name="skip"/> into <paramref name="buffer"/> (what the socket did not take); a heap buffer, as the channel's allocator gives.</summary>
    public readonly void CopyTo(IByteBuffer buffer, long skip)
    {
        for (var i = 0; i < Count; i++)
        {
            ref readonly var segment = ref At(i);
            if (skip >= segment.Length)
            {
                skip -= segment.Length;
                continue;
            }

            var frame = segment.Address != 0
                ? new ReadOnlySpan<byte>((byte*)segment.Address, segment.Length)
                : _copies.AsSpan(segment.CopyOffset, segment.Length);
            frame = frame[(int)skip..];
            skip = 0;
            buffer.EnsureWritable(frame.Length);
            var end = buffer.WriterIndex;
            frame.CopyTo(buffer.Array.AsSpan(buffer.ArrayOffset + end, frame.Length));
            buffer.SetWriterIndex(end + frame.Length);
        }
    }

    /// <summary>Forgets the pieces (written, handed on as a copy, or dropped).</summary>
    public void Clear()
    {
        Count = 0;
        Bytes = 0;
        _copied = 0;
        if (_copies.Length > KeptCopyBytes)
        {
            _copies = [];
        }
    }

    private void Append(CorkSegment segment)
    {
        var index = Count;
        if (index < InlineCorkSegments.Length)
        {
            _inline[index] = segment;
        }
        else
        {
            var more = index - InlineCorkSegments.Length;
            if (_more is null || more == _more.Length)
            {
                Array.Resize(ref _more, Math.Max(8, more * 2));
            }

            _more[more] = segment;
        }

        Count = index + 1;
        Bytes += segment.Length;
    }

    [UnscopedRef]
    private readonly ref readonly CorkSegment At(int index) =>
        ref index < InlineCorkSegments.Length ? ref _inline[index] : ref _more![index - InlineCorkSegments.Length];
}
