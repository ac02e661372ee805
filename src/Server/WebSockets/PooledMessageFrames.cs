using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using Edge.Protocol.WebSockets;

namespace Edge.Server.WebSockets;

/// <summary>
/// Builds server frames (unmasked, FIN set) as one pooled buffer each: header and payload together, ready for
/// <c>channel.WriteAsync</c>. For acks, errors, heartbeats and close; price frames come pre-encoded and need none
/// of this. The caller owns the returned buffer until it hands it to a write.
/// </summary>
public static class PooledMessageFrames
{
    /// <summary>A text message (the payload must be UTF-8; it is not checked here).</summary>
    public static IByteBuffer Text(IByteBufferAllocator allocator, ReadOnlySpan<byte> utf8) =>
        Frame(allocator, WebSocketOpcode.Text, utf8);

    public static IByteBuffer Binary(IByteBufferAllocator allocator, ReadOnlySpan<byte> payload) =>
        Frame(allocator, WebSocketOpcode.Binary, payload);

    /// <summary>A ping (heartbeat); at most 125 bytes of payload.</summary>
    public static IByteBuffer Ping(IByteBufferAllocator allocator, ReadOnlySpan<byte> payload) =>
        Control(allocator, WebSocketOpcode.Ping, payload);

    /// <summary>A pong; at most 125 bytes of payload.</summary>
    public static IByteBuffer Pong(IByteBufferAllocator allocator, ReadOnlySpan<byte> payload) =>
        Control(allocator, WebSocketOpcode.Pong, payload);

    /// <summary>
    /// A close frame with <paramref name="code"/> (must be valid on the wire) and a reason cut to 123 UTF-8 bytes.
    /// Prefer <see cref="WebSocketCloser.CloseAsync"/>, which also runs the close handshake.
    /// </summary>
    public static IByteBuffer Close(IByteBufferAllocator allocator, ushort code, ReadOnlySpan<char> reason)
    {
        Span<byte> payload = stackalloc byte[WebSocketFrame.MaxControlPayloadLength];
        var length = WebSocketClosePayload.Write(payload, code, reason);
        return Control(allocator, WebSocketOpcode.Close, payload[..length]);
    }

    /// <summary>A single-frame data or control message with <paramref name="opcode"/>.</summary>
    public static IByteBuffer Frame(IByteBufferAllocator allocator, WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        Span<byte> header = stackalloc byte[WebSocketFrame.MaxServerHeaderLength];
        var headerLength = WebSocketFrame.WriteHeader(header, opcode, payload.Length);
        var frame = allocator.Buffer(headerLength + payload.Length);
        ByteBufferSpan.Write(frame, header[..headerLength]);
        ByteBufferSpan.Write(frame, payload);
        return frame;
    }

    /// <summary>Writes <paramref name="payload"/> as one frame on <paramref name="context"/>, flushed or left for a later flush.</summary>
    public static Task Send(IChannelHandlerContext context, WebSocketOpcode opcode, ReadOnlySpan<byte> payload, bool flush)
    {
        var frame = Frame(context.Allocator, opcode, payload);
        return flush ? context.WriteAndFlushAsync(frame) : context.WriteAsync(frame);
    }

    /// <summary>A single frame carrying the readable bytes of <paramref name="payload"/> (copied; not released).</summary>
    public static IByteBuffer Frame(IByteBufferAllocator allocator, WebSocketOpcode opcode, IByteBuffer payload)
    {
        ArgumentNullException.ThrowIfNull(allocator);
        ArgumentNullException.ThrowIfNull(payload);
        Span<byte> header = stackalloc byte[WebSocketFrame.MaxServerHeaderLength];
        var length = payload.ReadableBytes;
        var headerLength = WebSocketFrame.WriteHeader(header, opcode, length);
        var frame = allocator.Buffer(headerLength + length);
        ByteBufferSpan.Write(frame, header[..headerLength]);
        frame.WriteBytes(payload, payload.ReaderIndex, length);
        return frame;
    }

    private static IByteBuffer Control(IByteBufferAllocator allocator, WebSocketOpcode opcode, ReadOnlySpan<byte> payload)
    {
        if (payload.Length > WebSocketFrame.MaxControlPayloadLength)
        {
            throw new ArgumentException($"a control frame carries at most {WebSocketFrame.MaxControlPayloadLength} bytes (got {payload.Length})", nameof(payload));
        }

        return Frame(allocator, opcode, payload);
    }
}
