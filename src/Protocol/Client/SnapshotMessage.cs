namespace Edge.Protocol.Client;

/// <summary>
/// <c>snapshot</c> {prices: [price, ...]}; each element is a complete <c>price</c> map (with its <c>type</c>), byte for
/// byte what <see cref="SnapshotAssembler"/> assembles from cached frames.
/// </summary>
public readonly ref struct SnapshotMessage(ReadOnlySpan<BestPrice> prices) : IWireMessage
{
    private readonly ReadOnlySpan<BestPrice> _prices = prices;

    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        MessageStart.Write(ref encoder, 2, WireNames.Snapshot);
        encoder.Key(WireNames.Prices);
        encoder.StartArray(_prices.Length);
        foreach (var price in _prices)
        {
            new BestPriceMessage(price).WriteTo(ref encoder);
        }

        encoder.EndArray();
        encoder.EndMap();
    }
}
