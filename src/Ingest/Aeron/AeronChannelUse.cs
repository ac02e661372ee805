namespace Edge.Ingest.Aeron;

/// <summary>Which side a channel string is parsed for: the parameters each side honours differ.</summary>
public enum AeronChannelUse
{
    Subscription,
    Publication,
}
