namespace Edge.Protocol.Client;

/// <summary><c>status</c> {feed: "up"|"down", reason}.</summary>
public readonly struct StatusMessage(FeedState feed, string reason) : IWireMessage
{
    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        MessageStart.Write(ref encoder, 3, WireNames.Status);
        encoder.Key(WireNames.Feed);
        encoder.Name(feed == FeedState.Up ? WireNames.Up : WireNames.Down);
        encoder.Key(WireNames.Reason);
        encoder.String(reason);
        encoder.EndMap();
    }
}
