using System.Buffers;

namespace Edge.Protocol.Buffers;

/// <summary>
/// An <see cref="IBufferWriter{T}"/> over caller memory that is pinned for the duration of one
/// encode (a <c>fixed</c> span). It lets <see cref="MessagePack.MessagePackWriter"/> and
/// <see cref="System.Text.Json.Utf8JsonWriter"/> write straight into a caller's
/// <see cref="Span{T}"/> with no allocation; one instance is reused by its owner, one thread at a time.
/// It is also a <see cref="MemoryManager{T}"/> because Utf8JsonWriter asks for Memory, not Span.
/// </summary>
internal sealed unsafe class PinnedBufferWriter : MemoryManager<byte>, IBufferWriter<byte>
{
    private byte* _start;
    private int _capacity;
    private int _written;

    public int Written => _written;

    /// <summary>Points the writer at <paramref name="start"/>; the caller keeps that memory pinned until <see cref="Detach"/>.</summary>
    public void Attach(byte* start, int capacity)
    {
        _start = start;
        _capacity = capacity;
        _written = 0;
    }

    public void Detach()
    {
        _start = null;
        _capacity = 0;
        _written = 0;
    }

    public void Advance(int count)
    {
        if ((uint)count > (uint)(_capacity - _written))
        {
            throw new InvalidOperationException("advanced past the end of the destination");
        }

        _written += count;
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureRoom(sizeHint);
        return new Span<byte>(_start + _written, _capacity - _written);
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureRoom(sizeHint);
        return CreateMemory(_written, _capacity - _written);
    }

    public override Span<byte> GetSpan() => new(_start, _capacity);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_start + elementIndex);

    public override void Unpin()
    {
        // The memory is pinned by the caller's fixed statement, not by us.
    }

    protected override void Dispose(bool disposing) => Detach();

    private void EnsureRoom(int sizeHint)
    {
        if (sizeHint > _capacity - _written)
        {
            throw new ArgumentException(
                $"the destination is too small: {_capacity - _written} bytes left, {sizeHint} requested", nameof(sizeHint));
        }
    }
}
