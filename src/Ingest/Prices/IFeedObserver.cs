using Edge.Ingest.Aeron;

namespace Edge.Ingest.Prices;

/// <summary>Learns of publishers joining and leaving and of the feed going up or down (logs, readiness, metrics).</summary>
public interface IFeedObserver
{
    void OnPublisherJoined(AeronImageInfo image);

    void OnPublisherLeft(AeronImageInfo image, AeronImageEndReason reason);

    void OnFeedChanged(bool up);

    /// <summary>A publisher's SETUP was refused (rate-limited per source by the receiver). The default ignores it.</summary>
    void OnSetupRefused(AeronSetupRefusal refusal)
    {
    }
}
