using DotNetty.Buffers;
using DotNetty.Transport.Channels;

namespace Edge.Server.Transport;

/// <summary>
/// A client connection's <see cref="IClientTransport"/> over its DotNetty channel. With direct writes (plaintext TCP
/// on Linux) the cork is a <see cref="GatherCork"/> sent by one <c>sendmsg</c> through a
/// <see cref="DirectSocketWriter"/> while nothing is queued; what the socket does not take, and everything while
/// DotNetty holds queued bytes, goes to the pipeline as one buffer. Without (TLS, tests' embedded channels) the cork
/// is a pooled buffer kept across drains and written through the pipeline. Loop thread only.
/// </summary>
public sealed class ChannelTransport : IClientTransport
{
    private const int MinCorkBytes = 256;

    /// <summary>
    /// The pipeline cork, kept across drains: DotNetty 0.7.6 hands out a new buffer object for every
    /// <c>Allocator.Buffer()</c> (96 B), so the cork is retained over its write and reused once the transport has
    /// released it. While the previous write is still in flight (a slow socket) a fresh buffer is taken instead.
    /// </summary>
    private IByteBuffer? _cork;
    private int _corkEstimate = MinCorkBytes;

    /// <summary>True while <see cref="_cork"/> holds frames of the drain under way (not just a kept buffer).</summary>
    private bool _corkFilled;

    /// <summary>The cork of direct writes, used while <see cref="_gathering"/>; in place, not a separate object.</summary>
    private GatherCork _gather;

    /// <summary>True once direct writes are on: the cork is <see cref="_gather"/>, else <see cref="_cork"/>.</summary>
    private bool _gathering;

    /// <summary>Writes straight to the socket when nothing is queued (plaintext TCP on Linux); null: the pipeline.</summary>
    private DirectSocketWriter? _directWriter;

    /// <summary>What the direct writer reads besides itself, kept here for <see cref="PrefetchFlushState"/> only.</summary>
    private object? _outboundHint;
    private object? _handleHint;

    public ChannelTransport(IChannel channel) => Channel = channel;

    public IChannel Channel { get; }

    public bool IsWritable => Channel.IsWritable;

    /// <summary>DotNetty's pending bytes: what its outbound buffer holds plus what waits in the <see cref="WriteBacklog"/>.</summary>
    public long QueuedBytes => Channel.Unsafe.OutboundBuffer?.TotalPendingWriteBytes() ?? 0;

    public bool IsCorked => _gathering ? _gather.Count > 0 : _corkFilled;

    public int CorkedBytes => _gathering ? _gather.Bytes : _corkFilled ? _cork!.ReadableBytes : 0;

    /// <summary>
    /// The channel under a fan-out session's transport: every session Edge creates runs over a
    /// <see cref="ChannelTransport"/> (only the fan-out's own tests use another), and the code that closes or notifies
    /// clients speaks to their channels.
    /// </summary>
    public static IChannel ChannelOf(IClientTransport transport) => ((ChannelTransport)transport).Channel;

    public void Cork(ReadOnlySpan<byte> frame)
    {
        if (_gathering)
        {
            _gather.AddCopy(frame);
            return;
        }

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

    public void CorkPinned(ReadOnlySpan<byte> frame)
    {
        if (_gathering)
        {
            _gather.AddPinned(frame);
        }
        else
        {
            Cork(frame);
        }
    }

    public bool FlushCork() => _gathering ? FlushGathered() : FlushPipelineCork();

    public void PrefetchFlushState()
    {
        if (_directWriter is { } writer)
        {
            // From this object's own fields, so the hint needs no load that could stall on memory itself.
            CacheHint.Prefetch(writer);
            CacheHint.Prefetch(_outboundHint);
            CacheHint.Prefetch(_handleHint);
        }
    }

    public void ReleaseCork()
    {
        if (_gathering)
        {
            _gather.Clear();
        }

        var cork = _cork;
        _cork = null;
        _corkFilled = false;
        cork?.Release();
    }

    public void EnableDirectWrites()
    {
        _directWriter = DirectSocketWriter.TryCreate(Channel);
        (_outboundHint, _handleHint) = _directWriter is { } writer ? writer.WriteState : (null, null);
        if (_directWriter is not null && !_corkFilled && !_gathering)
        {
            _gather = new GatherCork();
            _gathering = true;
        }
    }

    public long DiscardBacklog() => Channel.Pipeline.Get<WriteBacklog>()?.Discard() ?? 0;

    private bool FlushGathered()
    {
        if (_gather.Count == 0)
        {
            return false;
        }

        var total = _gather.Bytes;
        var written = _gather.WriteTo(_directWriter!);
        if (written == total)
        {
            // On the wire already (nothing queued: still writable).
            _gather.Clear();
            return true;
        }

        // The rest as one buffer through the pipeline, which keeps the order and takes every later write until drained.
        var rest = Channel.Allocator.Buffer((int)(total - written));
        _gather.CopyTo(rest, written);
        _gather.Clear();
        Channel.WriteAndFlushAsync(rest);
        return false;
    }

    private bool FlushPipelineCork()
    {
        var cork = _cork;
        if (cork is null || !_corkFilled)
        {
            return false;
        }

        _corkFilled = false;
        _corkEstimate = Math.Max(MinCorkBytes, cork.ReadableBytes);
        // One reference goes to the transport (released once written), one stays here for the next drain.
        Channel.WriteAndFlushAsync(cork.Retain());
        return false;
    }

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
