using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Edge.Protocol;

namespace Edge.Client;

/// <summary>
/// A reader of one symbol's prices (snapshot and live, sequence-filtered), registered when created so nothing
/// sent after it is missed. Enumerate it (or <see cref="ReadAllAsync"/>); the enumeration ends when the symbol
/// is unsubscribed or the client is disposed. Dispose it to stop reading. When the reader falls behind by more
/// than <see cref="MarketDataClientOptions.PriceBufferCapacity"/> prices the oldest are dropped.
/// </summary>
public sealed class PriceSubscription : IAsyncEnumerable<BestPrice>, IDisposable
{
    private readonly SymbolFeed _feed;
    private readonly Channel<BestPrice> _channel;

    internal PriceSubscription(SymbolFeed feed, int capacity)
    {
        _feed = feed;
        _channel = Channel.CreateBounded<BestPrice>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = false,
            SingleWriter = false,
        });
        feed.Add(_channel);
    }

    public string Symbol => _feed.Symbol;

    public async IAsyncEnumerable<BestPrice> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var price in _channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return price;
        }
    }

    /// <summary>The next price, waiting for it; throws <see cref="ChannelClosedException"/> once the subscription ended.</summary>
    public ValueTask<BestPrice> ReadAsync(CancellationToken cancellationToken = default) => _channel.Reader.ReadAsync(cancellationToken);

    public bool TryRead(out BestPrice? price)
    {
        var read = _channel.Reader.TryRead(out var value);
        price = value;
        return read;
    }

    public IAsyncEnumerator<BestPrice> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    public void Dispose()
    {
        _feed.Remove(_channel);
        _channel.Writer.TryComplete();
    }
}
