using Edge.Server.Transport;

namespace Edge.Server.FanOut;

/// <summary>The subscriptions of one symbol on one event loop: a dense array, swap-removed in O(1).</summary>
public sealed class SubscriberSet
{
    private Subscription[] _items = new Subscription[4];

    public int Count { get; private set; }

    public Subscription this[int index] => _items[index];

    /// <summary>A hint for the fan-out's walk: fetch the subscription array's start into the cache.</summary>
    internal void PrefetchItems() => CacheHint.Prefetch(_items);

    public void Add(Subscription subscription)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        subscription.IndexInSet = Count;
        _items[Count++] = subscription;
    }

    public void Remove(Subscription subscription)
    {
        var index = subscription.IndexInSet;
        if (index < 0 || index >= Count || !ReferenceEquals(_items[index], subscription))
        {
            return;
        }

        var last = _items[--Count];
        _items[index] = last;
        last.IndexInSet = index;
        _items[Count] = null!;
        subscription.IndexInSet = -1;
    }
}
