namespace Edge.Server.Transport;

/// <summary>
/// The write side of one client connection as the fan-out sees it (Garnet's <c>INetworkSender</c>): a cork that gathers
/// a drain's frames, its write (straight to the socket when possible, else through the pipeline), and what the
/// slow-consumer policy reads (writability, queued bytes) and does (drop the backlog). It keeps the fan-out free of
/// DotNetty types, so the fan-out can be driven in tests by a fake connection and a hand-driven clock.
/// Edge has one implementation, <see cref="ChannelTransport"/>, so the JIT (profile-guided) and native AOT (whole
/// program) devirtualise these calls. Loop thread only.
/// </summary>
public interface IClientTransport
{
    /// <summary>False while the connection holds more than its high watermark; the fan-out then conflates.</summary>
    bool IsWritable { get; }

    /// <summary>Bytes written to the connection but not yet taken by its socket.</summary>
    long QueuedBytes { get; }

    /// <summary>True while the cork holds frames of the drain under way.</summary>
    bool IsCorked { get; }

    /// <summary>Bytes corked in the drain under way.</summary>
    int CorkedBytes { get; }

    /// <summary>Appends a copy of one whole frame to the cork.</summary>
    void Cork(ReadOnlySpan<byte> frame);

    /// <summary>
    /// Appends one whole frame that lies in pinned memory and stays unchanged until the next <see cref="FlushCork"/>
    /// or <see cref="ReleaseCork"/> (the encoded-price ring's cells): the transport may write it from there instead
    /// of copying it.
    /// </summary>
    void CorkPinned(ReadOnlySpan<byte> frame);

    /// <summary>
    /// Writes and flushes the cork: one write for everything the drain gathered. True when the socket took it all at
    /// once (a direct write); otherwise what is left goes through the pipeline, which keeps the order.
    /// </summary>
    bool FlushCork();

    /// <summary>
    /// A hint, no behaviour: fetch into the CPU's cache what the next <see cref="FlushCork"/> reads beyond this object.
    /// The fan-out calls it for the connection it will flush next, while it writes the current one.
    /// </summary>
    void PrefetchFlushState();

    /// <summary>Gives the kept cork back to the pool (the connection takes no more fan-out writes).</summary>
    void ReleaseCork();

    /// <summary>Lets corks go straight to the socket while nothing is queued, where the connection allows it (plaintext TCP).</summary>
    void EnableDirectWrites();

    /// <summary>
    /// Drops what waits in Edge for the connection (its write backlog) and returns the bytes dropped: what is written
    /// next (a close frame, a last event) follows right after what the transport already holds.
    /// </summary>
    long DiscardBacklog();
}
