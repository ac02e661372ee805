using DotNetty.Buffers;
using Edge.Protocol.WebSockets;

namespace Edge.Server.WebSockets;

/// <summary>
/// Spans over DotNetty buffers, which in 0.7.6 have no span API. Every pooled buffer (heap and "direct") is backed
/// by an array, so these are views without copies; the rare buffer without one takes a slow path.
/// </summary>
internal static class ByteBufferSpan
{
    /// <summary>A view of <paramref name="length"/> bytes at <paramref name="index"/>, or false when the buffer has no array.</summary>
    public static bool TryGet(IByteBuffer buffer, int index, int length, out Span<byte> span)
    {
        if (buffer.HasArray)
        {
            span = new Span<byte>(buffer.Array, buffer.ArrayOffset + index, length);
            return true;
        }

        span = default;
        return false;
    }

    /// <summary>Appends <paramref name="bytes"/> at the writer index (growing the buffer if needed).</summary>
    public static void Write(IByteBuffer buffer, ReadOnlySpan<byte> bytes)
    {
        buffer.EnsureWritable(bytes.Length);
        if (TryGet(buffer, buffer.WriterIndex, bytes.Length, out var destination))
        {
            bytes.CopyTo(destination);
            buffer.SetWriterIndex(buffer.WriterIndex + bytes.Length);
            return;
        }

        foreach (var b in bytes)
        {
            buffer.WriteByte(b);
        }
    }

    /// <summary>XOR-unmasks a payload in place (RFC 6455 §5.3); <paramref name="offset"/> is its position in the frame payload.</summary>
    public static void Unmask(IByteBuffer buffer, int index, int length, uint maskKey, long offset = 0)
    {
        if (TryGet(buffer, index, length, out var span))
        {
            WebSocketMask.Apply(span, maskKey, offset);
            return;
        }

        for (var i = 0; i < length; i++)
        {
            var keyByte = (byte)(maskKey >> (24 - (8 * (int)((offset + i) & 3))));
            buffer.SetByte(index + i, buffer.GetByte(index + i) ^ keyByte);
        }
    }
}
