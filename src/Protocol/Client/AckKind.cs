namespace Edge.Protocol.Client;

/// <summary>Which request an <c>ack</c> answers; it decides the name of the symbol list (<c>subscribed</c> or <c>unsubscribed</c>).</summary>
public enum AckKind : byte
{
    Subscribe = 0,
    Unsubscribe = 1,
}
