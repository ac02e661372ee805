namespace Edge.Ingest.Aeron;

/// <summary>The outcome of <see cref="AeronPublisher.Offer"/>.</summary>
public enum AeronOfferResult
{
    /// <summary>The message is in the log and will be sent (and re-sent on NAK).</summary>
    Success,

    /// <summary>The publication window is full: the receiver has not consumed enough yet. Try again later.</summary>
    BackPressured,

    /// <summary>No receiver has sent a status message (yet, or within the connection timeout). Nothing was written.</summary>
    NotConnected,

    /// <summary>The publisher is disposed.</summary>
    Closed,

    /// <summary>The message is longer than <see cref="AeronPublisher.MaxMessageLength"/>.</summary>
    MessageTooLarge,
}
