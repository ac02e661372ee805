namespace Edge.Ingest.Aeron;

/// <summary>
/// Why the receiver dropped (part of) a datagram. Each is counted in <see cref="AeronReceiverCounters"/>.
/// <see cref="UnknownSession"/>, <see cref="UnderRun"/>, <see cref="Duplicate"/> and <see cref="ImageClosed"/> are
/// normal on a healthy stream (joins, retransmits, closing sessions); the others point at a broken or hostile sender.
/// </summary>
public enum AeronDropReason
{
    /// <summary>Shorter than the common header or than the minimum for its frame type.</summary>
    TooShort,

    /// <summary>Version byte is not 0.</summary>
    UnsupportedVersion,

    /// <summary>A type a unicast receiver does not take (SM, NAK, ERR, RES, ATS, ...); ignored like the C driver does.</summary>
    UnhandledFrameType,

    /// <summary>The frame is for a stream id this receiver was not configured for.</summary>
    OtherStream,

    /// <summary>Lengths that lie, frames shorter than a header or longer than the MTU, inconsistent frames in one datagram.</summary>
    MalformedFrame,

    /// <summary>A term offset that is negative, not 32-byte aligned or past the term.</summary>
    BadTermOffset,

    /// <summary>A SETUP with an invalid term length, MTU or offset, or an MTU larger than the receiver window.</summary>
    InvalidSetup,

    /// <summary>A SETUP for a new session while the configured number of images is already in use.</summary>
    ImageLimitReached,

    /// <summary>DATA for a session without an image (the receiver asks for a SETUP, at most once a second).</summary>
    UnknownSession,

    /// <summary>Asking for a SETUP was skipped because too many were asked for in the last second.</summary>
    SetupRequestRateLimited,

    /// <summary>Data behind the consumed position (an old retransmit).</summary>
    UnderRun,

    /// <summary>Data already held (a duplicate or retransmit).</summary>
    Duplicate,

    /// <summary>Data past the receiver window, which a sender honouring our status messages never sends.</summary>
    OverRun,

    /// <summary>Data for an image that has already reached end of stream.</summary>
    ImageClosed,

    /// <summary>A reassembled message longer than the maximum message length; the message is discarded.</summary>
    MessageTooLong,

    /// <summary>A fragment that does not continue a message in progress (e.g. right after joining mid-message).</summary>
    FragmentDiscarded,

    /// <summary>
    /// A status message or NAK on a multicast control group: another receiver's (or our own, looped back). NAKs are
    /// read for suppression first; counted here either way.
    /// </summary>
    PeerControlFrame,
}
