using DotNetty.Buffers;

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

    /// <summary>
    /// The first <paramref name="length"/> readable bytes (from the reader index, which stays put): a view when the
    /// buffer has an array, else a copy.
    /// </summary>
    public static ReadOnlySpan<byte> Readable(IByteBuffer buffer, int length)
    {
        if (buffer.HasArray)
        {
            return new ReadOnlySpan<byte>(buffer.Array, buffer.ArrayOffset + buffer.ReaderIndex, length);
        }

        var copy = new byte[length];
        buffer.GetBytes(buffer.ReaderIndex, copy);
        return copy;
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

    /// <summary>Appends <paramref name="text"/> as ASCII (header names and values Edge produces itself).</summary>
    public static void WriteAscii(IByteBuffer buffer, string text)
    {
        buffer.EnsureWritable(text.Length);
        if (TryGet(buffer, buffer.WriterIndex, text.Length, out var destination))
        {
            System.Text.Encoding.ASCII.GetBytes(text, destination);
            buffer.SetWriterIndex(buffer.WriterIndex + text.Length);
            return;
        }

        foreach (var c in text)
        {
            buffer.WriteByte(c < 0x80 ? c : '?');
        }
    }
}
