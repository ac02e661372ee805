using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using Edge.Protocol.Client;
using Edge.Server.Transport;

namespace Edge.Server.FanOut;

/// <summary>
/// The fan-out side of one client connection: its subscriptions, its cork (the frames gathered for it during a
/// drain, written with one write and one flush) and its slow-consumer state. Touched only by its event loop.
/// </summary>
public sealed class FanOutSession
{
    private const int MinCorkBytes = 256;

    public FanOutSession(IChannel channel, ClientEncoding encoding, string tenant)
    {
        Channel = channel;
        Encoding = encoding;
        Tenant = tenant;
    }

    public IChannel Channel { get; }

    public ClientEncoding Encoding { get; }

    public string Tenant { get; }

    /// <summary>Subscriptions by symbol id.</summary>
    public Dictionary<int, Subscription> Subscriptions { get; } = [];

    /// <summary>Set once the session is unregistered: nothing more is delivered.</summary>
    public bool Closed { get; internal set; }

    /// <summary>
    /// The channel's writability as last seen by the loop: read for every delivery, so it lives here rather than three
    /// objects away (channel → unsafe → outbound buffer, each a likely cache miss with many connections). Refreshed
    /// on registration, after each write of the cork and on every writability change the session's handler reports.
    /// </summary>
    internal bool Writable { get; set; } = true;

    /// <summary>Stopwatch time the channel was first seen unwritable, 0 while it drains normally.</summary>
    public long UnwritableSince { get; internal set; }

    public long Conflated { get; internal set; }

    /// <summary>Bytes corked for this session in the drain under way.</summary>
    internal int CorkedBytes => _corkFilled ? _cork!.ReadableBytes : 0;

    internal bool Touched { get; set; }

    /// <summary>Position in its loop's session list, for O(1) removal.</summary>
    internal int IndexInLoop { get; set; } = -1;

    /// <summary>True while the session sits in its loop's list of unwritable sessions.</summary>
    internal bool TrackedUnwritable { get; set; }

    /// <summary>
    /// The session's cork, kept across drains: DotNetty 0.7.6 hands out a new buffer object for every
    /// <c>Allocator.Buffer()</c> (96 B), so the cork is retained over its write and reused once the transport has
    /// released it. While the previous write is still in flight (a slow socket) a fresh buffer is taken instead.
    /// </summary>
    private IByteBuffer? _cork;
    private int _corkEstimate = MinCorkBytes;

    /// <summary>True while <see cref="_cork"/> holds frames of the drain under way (not just a kept buffer).</summary>
    private bool _corkFilled;

    /// <summary>Writes corks straight to the socket when nothing is queued (plaintext TCP only); null: the pipeline.</summary>
    internal DirectSocketWriter? DirectWriter { get; set; }

    internal void Cork(ReadOnlySpan<byte> frame)
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

    /// <summary>
    /// Writes and flushes the cork: one write for everything this drain gathered. Straight to the socket when it
    /// takes it all (returns true); what it does not take goes through the pipeline, which keeps the order.
    /// </summary>
    internal bool FlushCork()
    {
        var cork = _cork;
        if (cork is null || !_corkFilled)
        {
            return false;
        }

        _corkFilled = false;
        _corkEstimate = Math.Max(MinCorkBytes, cork.ReadableBytes);
        if (Closed)
        {
            ReleaseCork();
            return false;
        }

        var direct = DirectWriter;
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
        Writable = Channel.IsWritable;
        return false;
    }

    /// <summary>Gives the kept cork back to the pool (the session is closed; nothing more is written).</summary>
    internal void ReleaseCork()
    {
        var cork = _cork;
        _cork = null;
        _corkFilled = false;
        cork?.Release();
    }

    private void TakeCork(int firstFrameLength)
    {
        var cork = _cork;
        if (cork is not null && cork.ReferenceCount == 1)
        {
            // Only this session holds it: the previous write is on the wire, the buffer is free to refill.
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
