using Edge.Protocol.Client;
using Edge.Server.Transport;

namespace Edge.Server.FanOut;

/// <summary>
/// The fan-out side of one client connection: its subscriptions, its slow-consumer state, and its transport, whose
/// cork gathers the frames of a drain for one write and one flush. Touched only by its event loop.
/// </summary>
public sealed class FanOutSession
{
    public FanOutSession(IClientTransport transport, ClientEncoding encoding, string tenant)
    {
        Transport = transport;
        Encoding = encoding;
        Tenant = tenant;
    }

    /// <summary>The connection's write side (<see cref="ChannelTransport"/> in Edge).</summary>
    public IClientTransport Transport { get; }

    public ClientEncoding Encoding { get; }

    public string Tenant { get; }

    /// <summary>Subscriptions by symbol id.</summary>
    public Dictionary<int, Subscription> Subscriptions { get; } = [];

    /// <summary>Set once the session is unregistered: nothing more is delivered.</summary>
    public bool Closed { get; internal set; }

    /// <summary>
    /// The connection's writability as last seen by the loop: read for every delivery, so it lives here rather than
    /// three objects away (channel → unsafe → outbound buffer, each a likely cache miss with many connections).
    /// Refreshed on registration, after each pipeline write of the cork and on every writability change the session's
    /// handler reports.
    /// </summary>
    internal bool Writable { get; set; } = true;

    /// <summary>Clock time (<see cref="TimeProvider.GetTimestamp"/>) the connection was first seen unwritable, 0 while it drains normally.</summary>
    public long UnwritableSince { get; internal set; }

    public long Conflated { get; internal set; }

    /// <summary>Bytes corked for this session in the drain under way.</summary>
    internal int CorkedBytes => Transport.CorkedBytes;

    internal bool Touched { get; set; }

    /// <summary>Position in its loop's session list, for O(1) removal.</summary>
    internal int IndexInLoop { get; set; } = -1;

    /// <summary>True while the session sits in its loop's list of unwritable sessions.</summary>
    internal bool TrackedUnwritable { get; set; }

    internal void Cork(ReadOnlySpan<byte> frame) => Transport.Cork(frame);

    /// <summary>Corks a frame of the encoded-price ring by reference (see <see cref="IClientTransport.CorkPinned"/>).</summary>
    internal void CorkPinned(ReadOnlySpan<byte> frame) => Transport.CorkPinned(frame);

    /// <summary>
    /// Writes and flushes the cork (see <see cref="IClientTransport.FlushCork"/>); true for a direct write. A closed
    /// session's cork is given back instead.
    /// </summary>
    internal bool FlushCork()
    {
        var transport = Transport;
        if (!transport.IsCorked)
        {
            return false;
        }

        if (Closed)
        {
            transport.ReleaseCork();
            return false;
        }

        if (transport.FlushCork())
        {
            // On the wire already (nothing queued: still writable).
            return true;
        }

        Writable = transport.IsWritable;
        return false;
    }

    /// <summary>Gives the kept cork back to the pool (the session is closed; nothing more is written).</summary>
    internal void ReleaseCork() => Transport.ReleaseCork();
}
