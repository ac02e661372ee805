using DotNetty.Buffers;
using DotNetty.Transport.Channels.Embedded;
using Edge.Server.Metrics;
using Edge.Server.WebSockets;

namespace Edge.Server.Tests.WebSockets;

/// <summary>A <see cref="WebSocketCodec"/> alone in an <see cref="EmbeddedChannel"/>: bytes in, messages and frames out.</summary>
internal sealed class CodecHarness : IDisposable
{
    public CodecHarness(int maxMessageBytes = 64 * 1024, TimeSpan? closeTimeout = null)
    {
        Counters = new WebSocketCounters(new MetricsRegistry());
        Codec = new WebSocketCodec(new WebSocketCodecSettings(maxMessageBytes, closeTimeout ?? TimeSpan.FromSeconds(30), Counters));
        Channel = new EmbeddedChannel(Codec);
    }

    public EmbeddedChannel Channel { get; }

    public WebSocketCodec Codec { get; }

    public WebSocketCounters Counters { get; }

    public void Feed(params byte[][] chunks)
    {
        foreach (var chunk in chunks)
        {
            // Pooled, like the socket's reads: their retained slices count references of their own.
            Channel.WriteInbound(PooledByteBufferAllocator.Default.Buffer(chunk.Length).WriteBytes(chunk));
        }
    }

    /// <summary>Sends <paramref name="bytes"/> as two reads, split at <paramref name="at"/>.</summary>
    public void FeedSplit(byte[] bytes, int at) => Feed(bytes[..at], bytes[at..]);

    public List<WebSocketMessage> Messages()
    {
        var messages = new List<WebSocketMessage>();
        WebSocketMessage? message;
        while ((message = Channel.ReadInbound<WebSocketMessage>()) is not null)
        {
            messages.Add(message);
        }

        return messages;
    }

    /// <summary>The received messages as (opcode, bytes), releasing them.</summary>
    public List<(Edge.Protocol.WebSockets.WebSocketOpcode Opcode, byte[] Payload)> TakeMessages()
    {
        var taken = new List<(Edge.Protocol.WebSockets.WebSocketOpcode, byte[])>();
        foreach (var message in Messages())
        {
            var bytes = new byte[message.Payload.ReadableBytes];
            message.Payload.GetBytes(message.Payload.ReaderIndex, bytes);
            taken.Add((message.Opcode, bytes));
            Assert.That(message.Release(), Is.True, "the receiver held the last reference");
        }

        return taken;
    }

    public List<DecodedFrame> Frames()
    {
        var frames = new List<DecodedFrame>();
        IByteBuffer? buffer;
        while ((buffer = Channel.ReadOutbound<IByteBuffer>()) is not null)
        {
            frames.AddRange(DecodedFrame.ReadAll(buffer));
        }

        return frames;
    }

    /// <summary>Runs the channel's scheduled tasks until it closes; false if it is still open after the bound.</summary>
    public bool WaitForClose(TimeSpan bound) => Channel.WaitForClose(bound);

    public void Dispose()
    {
        foreach (var message in Messages())
        {
            message.Release();
        }

        Channel.FinishAndReleaseAll();
    }
}
