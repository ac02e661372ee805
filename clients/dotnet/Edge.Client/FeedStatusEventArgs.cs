using Edge.Protocol.Client;

namespace Edge.Client;

/// <summary>The server's upstream feed went up or down (a <c>status</c> message).</summary>
public sealed class FeedStatusEventArgs(FeedState feed, string reason) : EventArgs
{
    public FeedState Feed { get; } = feed;

    public string Reason { get; } = reason;
}
