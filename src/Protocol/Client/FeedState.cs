namespace Edge.Protocol.Client;

/// <summary>The upstream feed's state as a <c>status</c> message reports it.</summary>
public enum FeedState : byte
{
    Up = 0,
    Down = 1,
}
