using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Edge.Server.Transport;

/// <summary>
/// A client connection's <see cref="IClientTransport"/> over its DotNetty channel: the cork is a pooled buffer kept
/// across drains, written straight to the socket by a <see cref="DirectSocketWriter"/> when one is enabled and
/// nothing is queued, else handed to the pipeline. Loop thread only.
/// </summary>
public sealed class ChannelTransport : IClientTransport
{
    private const int MinCorkBytes = 256;

    /// <summary>
    /// The cork, kept across drains: DotNetty 0.7.6 hands out a new buffer object for every <c>Allocator.Buffer()</c>
    /// (96 B), so the cork is retained over its write and reused once the transport has released it. While the
    /// previous write is still in flight (a slow socket) a fresh buffer is taken instead.
    /// </summary>
    private IByteBuffer? _cork;
    private int _corkEstimate = MinCorkBytes;

    /// <summary>True while <see cref="_cork"/> holds frames of the drain under way (not just a kept buffer).</summary>
    private bool _corkFilled;

    /// <summary>Writes corks straight to the socket when nothing is queued (plaintext TCP only); null: the pipeline.</summary>
    private DirectSocketWriter? _directWriter;

    public ChannelTransport(IChannel channel) => Channel = channel;

    public IChannel Channel { get; }

    public bool IsWritable => Channel.IsWritable;

    /// <summary>DotNetty's pending bytes: what its outbound buffer holds plus what waits in the <see cref="WriteBacklog"/>.</summary>
    public long QueuedBytes => Channel.Unsafe.OutboundBuffer?.TotalPendingWriteBytes() ?? 0;

    public bool IsCorked => _corkFilled;

    public int CorkedBytes => _corkFilled ? _cork!.ReadableBytes : 0;

    /// <summary>
    /// The channel under a fan-out session's transport: every session Edge creates runs over a
    /// <see cref="ChannelTransport"/> (only the fan-out's own tests use another), and the code that closes or notifies
    /// clients speaks to their channels.
    /// </summary>
    public static IChannel ChannelOf(IClientTransport transport) => ((ChannelTransport)transport).Channel;

    public void Cork(ReadOnlySpan<byte> frame)
    {
        if (!_corkFilled)
        {
            TakeCork(frame.Length);
        }

        var cork = _cork!;
        cork.EnsureWritable(frame.Length);
        var written = cork.WriterIndex;
        frame.CopyTo(cork.Array.AsSpan(cork.ArrayOffset + written, frame.Length));
        cork.SetWriterIndex(written + frame.Length);
    }

    public bool FlushCork()
    {
        var cork = _cork;
        if (cork is null || !_corkFilled)
        {
            return false;
        }

        _corkFilled = false;
        _corkEstimate = Math.Max(MinCorkBytes, cork.ReadableBytes);
        var direct = _directWriter;
        if (direct is not null)
        {
            var readable = cork.ReadableBytes;
            var written = direct.TryWrite(cork.Array.AsSpan(cork.ArrayOffset + cork.ReaderIndex, readable));
            if (written == readable)
            {
                // On the wire already (nothing queued: still writable); the cork stays here for the next drain.
                return true;
            }

            cork.SetReaderIndex(cork.ReaderIndex + written);
        }

        // One reference goes to the transport (released once written), one stays here for the next drain.
        Channel.WriteAndFlushAsync(cork.Retain());
        return false;
    }

    public void ReleaseCork()
    {
        var cork = _cork;
        _cork = null;
        _corkFilled = false;
        cork?.Release();
    }

    public void EnableDirectWrites() => _directWriter = DirectSocketWriter.TryCreate(Channel);

    public long DiscardBacklog() => Channel.Pipeline.Get<WriteBacklog>()?.Discard() ?? 0;

    private void TakeCork(int firstFrameLength)
    {
        var cork = _cork;
        if (cork is not null && cork.ReferenceCount == 1)
        {
            // Only this connection holds it: the previous write is on the wire, the buffer is free to refill.
            cork.Clear();
        }
        else
        {
            cork?.Release();
            // Size a new cork from the previous drain: growing from a small buffer every time costs ~10 %.
            _cork = Channel.Allocator.Buffer(Math.Max(_corkEstimate, firstFrameLength));
        }

        _corkFilled = true;
    }
}
