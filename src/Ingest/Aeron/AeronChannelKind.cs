namespace Edge.Ingest.Aeron;

/// <summary>How an Aeron UDP channel reaches its receivers; shown per image at /metrics (<c>kind</c>).</summary>
public enum AeronChannelKind
{
    /// <summary>One receiver at <c>endpoint</c>; control frames go back to the sender's source address.</summary>
    Unicast,

    /// <summary>A multicast group (<c>endpoint=</c> odd last octet); control frames go to the group + 1 on the same port.</summary>
    Multicast,

    /// <summary>
    /// Dynamic multi-destination-cast: the publisher listens on <c>control</c> and sends to every receiver whose
    /// status messages reach it; a receiver names that <c>control</c> address.
    /// </summary>
    Mdc,
}
