using Edge.Ingest.Aeron;

namespace Edge.Ingest.Prices;

/// <summary>
/// Connects the Aeron receiver to the price ring: every complete message goes to <see cref="PriceIngest"/>, and
/// the feed going up or down becomes a status event in the ring. A struct, so the receiver calls it directly.
/// </summary>
public readonly struct AeronPriceHandler : IAeronMessageHandler
{
    private readonly PriceIngest _ingest;
    private readonly IFeedObserver? _observer;

    public AeronPriceHandler(PriceIngest ingest, IFeedObserver? observer = null)
    {
        _ingest = ingest;
        _observer = observer;
    }

    public void OnMessage(ReadOnlySpan<byte> message, in AeronMessageHeader header) => _ingest.OnMessage(message);

    public void OnBatchEnd() => _ingest.OnBatchEnd();

    public void OnImageAvailable(AeronImageInfo image) => _observer?.OnPublisherJoined(image);

    public void OnImageUnavailable(AeronImageInfo image, AeronImageEndReason reason, long position) => _observer?.OnPublisherLeft(image, reason);

    public void OnSetupRefused(AeronSetupRefusal refusal) => _observer?.OnSetupRefused(refusal);

    public void OnFeedUp()
    {
        _ingest.OnFeedState(up: true);
        _observer?.OnFeedChanged(up: true);
    }

    public void OnFeedDown()
    {
        _ingest.OnFeedState(up: false);
        _observer?.OnFeedChanged(up: false);
    }
}
