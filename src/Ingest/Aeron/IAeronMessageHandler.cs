namespace Edge.Ingest.Aeron;

/// <summary>
/// What an <see cref="AeronReceiver{THandler}"/> tells its owner. Every call comes from the receiver's own thread,
/// one at a time, in stream order per image. A struct implementation is called without virtual dispatch
/// (the receiver is generic over it).
/// </summary>
public interface IAeronMessageHandler
{
    /// <summary>
    /// A complete message (fragments already reassembled). <paramref name="message"/> is only valid during the
    /// call: copy what you keep. An exception thrown here is caught, counted and reported; the stream goes on.
    /// </summary>
    void OnMessage(ReadOnlySpan<byte> message, in AeronMessageHeader header);

    /// <summary>
    /// The receiver has handed over every message of the datagrams it took in one go (up to 64): the end of a
    /// batch in Disruptor-net's sense. Publish what the batch produced and wake its consumers here, once, rather
    /// than per message. An exception thrown here is caught, counted and reported like one from <see cref="OnMessage"/>.
    /// </summary>
    void OnBatchEnd();

    /// <summary>A publisher session has started sending on the stream (its first DATA or heartbeat arrived).</summary>
    void OnImageAvailable(AeronImageInfo image);

    /// <summary>A publisher session is gone: end of stream, silence past the liveness timeout, or receiver closing.</summary>
    void OnImageUnavailable(AeronImageInfo image, AeronImageEndReason reason, long position);

    /// <summary>The stream went from no live image to one: the feed is up.</summary>
    void OnFeedUp();

    /// <summary>The last live image of the stream is gone: the feed is down.</summary>
    void OnFeedDown();

    /// <summary>
    /// A SETUP was refused (for the log): at most once per source address per
    /// <see cref="AeronReceiverOptions.SetupRefusalReportInterval"/>, with the number held back since. Rare, so the
    /// report is an object. The default ignores it, so handlers written before it keep compiling.
    /// </summary>
    void OnSetupRefused(AeronSetupRefusal refusal)
    {
    }
}
