namespace Edge.Ingest.Aeron;

/// <summary>Why the receiver refused a SETUP (what <see cref="AeronSetupRefusal"/> reports).</summary>
public enum AeronSetupRefusalReason
{
    /// <summary>The term length is not a power of two between 64 KiB and 1 GiB.</summary>
    InvalidTermLength,

    /// <summary>The MTU is not a multiple of 32 between 32 and 65504.</summary>
    InvalidMtu,

    /// <summary>
    /// The MTU is larger than the configured receiver window (<see cref="AeronReceiverOptions.ReceiverWindowLength"/>),
    /// which the C driver refuses too: the sender could never send a full frame.
    /// </summary>
    MtuAboveReceiverWindow,

    /// <summary>The term offset is negative, past the term or not 32-byte aligned.</summary>
    InvalidTermOffset,

    /// <summary>A new session while <see cref="AeronReceiverOptions.MaxImages"/> images are already held.</summary>
    ImageLimitReached,
}
