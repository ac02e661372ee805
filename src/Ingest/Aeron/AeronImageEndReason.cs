namespace Edge.Ingest.Aeron;

/// <summary>Why an image became unavailable.</summary>
public enum AeronImageEndReason
{
    /// <summary>The publisher closed: an end-of-stream heartbeat arrived and everything before it was delivered.</summary>
    EndOfStream,

    /// <summary>Nothing arrived from the publisher for the image liveness timeout.</summary>
    LivenessTimeout,

    /// <summary>The receiver itself was disposed.</summary>
    ReceiverClosed,

    /// <summary>
    /// The publisher restarted: a SETUP with the same session id from the same address described a stream this image
    /// cannot belong to (another initial term id, term length or MTU, or a position behind what was delivered). A new
    /// image for the new stream takes its place at once.
    /// </summary>
    PublisherRestarted,
}
