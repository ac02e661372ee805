using System.Text;

namespace Edge.Protocol.Client;

/// <summary>
/// A <c>price</c> message (<see cref="PriceMessage"/>) from a <see cref="BestPrice"/>: its stored mid/spread/spreadBps
/// are written as they are. Off the hot path, so the names are converted to UTF-8 per call.
/// </summary>
public readonly struct BestPriceMessage(BestPrice price) : IWireMessage
{
    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        ArgumentNullException.ThrowIfNull(price);
        new PriceMessage(new PriceValues(
            Encoding.UTF8.GetBytes(price.Symbol),
            Encoding.UTF8.GetBytes(price.Bid.Source),
            Encoding.UTF8.GetBytes(price.Ask.Source),
            price.ToQuote(),
            price.Mid,
            price.Spread,
            price.SpreadBps)).WriteTo(ref encoder);
    }
}
