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
}
