using Edge.Protocol;

namespace Edge.Client;

/// <summary>Removes an <see cref="MarketDataClient.OnPrice"/> callback when disposed.</summary>
internal sealed class CallbackRegistration(MarketDataClient client, string symbol, Action<BestPrice> callback) : IDisposable
{
    public void Dispose() => client.RemovePriceCallback(symbol, callback);
}
