namespace Edge.Ingest.Aeron;

/// <summary>Why an image's time is up (see <see cref="AeronImage.CheckExpiry"/>); the dispatcher removes it.</summary>
internal enum AeronImageExpiry
{
    /// <summary>Still within its time.</summary>
    None,

    /// <summary>Lingering after end of stream, and the linger deadline has passed.</summary>
    LingerEnded,

    /// <summary>Created by a SETUP, and no DATA or heartbeat came within the pending-image timeout.</summary>
    PendingTimedOut,

    /// <summary>Nothing from the publisher for the liveness timeout.</summary>
    LivenessTimedOut,
}
