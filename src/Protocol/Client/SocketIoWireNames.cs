namespace Edge.Protocol.Client;

/// <summary>
/// The key table of the socket.io dialect: the original gateway's field and event names (issue #17). Names it shares
/// with protocol v1 are the same <see cref="WireKey"/> objects, so each name is still encoded once.
/// </summary>
public static class SocketIoWireNames
{
    // Keys of the original price object.
    public static readonly WireKey Symbol = WireNames.Symbol;
    public static readonly WireKey BestBid = new("bestBid");
    public static readonly WireKey BestAsk = new("bestAsk");
    public static readonly WireKey Price = WireNames.Price;
    public static readonly WireKey Size = WireNames.Size;
    public static readonly WireKey Source = WireNames.Source;
    public static readonly WireKey MidPrice = new("midPrice");
    public static readonly WireKey Spread = WireNames.Spread;
    public static readonly WireKey SpreadBps = WireNames.SpreadBps;
    public static readonly WireKey Timestamp = WireNames.Timestamp;
    public static readonly WireKey Sequence = WireNames.Sequence;

    // Event names.
    public static readonly WireKey PriceEvent = WireNames.Price;
}
