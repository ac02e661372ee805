using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using Edge.Protocol.Client;

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

    /// <summary>Stopwatch time the channel was first seen unwritable, 0 while it drains normally.</summary>
    public long UnwritableSince { get; internal set; }

    public long Conflated { get; internal set; }

    /// <summary>Bytes corked for this session in the drain under way.</summary>
    internal int CorkedBytes => _cork?.ReadableBytes ?? 0;

    internal bool Touched { get; set; }

    /// <summary>Position in its loop's session list, for O(1) removal.</summary>
    internal int IndexInLoop { get; set; } = -1;

    /// <summary>True while the session sits in its loop's list of unwritable sessions.</summary>
    internal bool TrackedUnwritable { get; set; }

    private IByteBuffer? _cork;
    private int _corkEstimate = MinCorkBytes;

    internal void Cork(ReadOnlySpan<byte> frame)
    {
        // Size the cork from the previous drain: growing from a small buffer every time costs ~10 %.
        _cork ??= Channel.Allocator.Buffer(Math.Max(_corkEstimate, frame.Length));
        _cork.EnsureWritable(frame.Length);
        var written = _cork.WriterIndex;
        frame.CopyTo(_cork.Array.AsSpan(_cork.ArrayOffset + written, frame.Length));
        _cork.SetWriterIndex(written + frame.Length);
    }

    /// <summary>Writes and flushes the cork: one write and one flush for everything this drain gathered.</summary>
    internal void FlushCork()
    {
        var cork = _cork;
        if (cork is null)
        {
            return;
        }

        _cork = null;
        _corkEstimate = Math.Max(MinCorkBytes, cork.ReadableBytes);
        if (Closed)
        {
            cork.Release();
            return;
        }

        Channel.WriteAndFlushAsync(cork);
    }
}
