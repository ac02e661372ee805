using System.Threading.Channels;
using Edge.Protocol;

namespace Edge.Client;

/// <summary>
/// One symbol's delivery: drops prices whose per-symbol sequence is not above the last one delivered (older
/// or repeated, e.g. the snapshot after a resubscribe), then hands the price to every reader and callback.
/// Thread-safe.
/// </summary>
internal sealed class SymbolFeed
{
    private readonly Lock _lock = new();
    private readonly List<Channel<BestPrice>> _readers = [];
    private readonly List<Action<BestPrice>> _callbacks = [];
    private ulong? _lastSequence;

    public SymbolFeed(string symbol) => Symbol = symbol;

    public string Symbol { get; }

    public ulong? LastSequence
    {
        get
        {
            lock (_lock)
            {
                return _lastSequence;
            }
        }
    }

    /// <summary>Delivers <paramref name="price"/> unless it is older than (or the same as) the last one; returns whether it was delivered.</summary>
    public bool TryDeliver(BestPrice price, Action<Exception>? onCallbackError)
    {
        Channel<BestPrice>[] readers;
        Action<BestPrice>[] callbacks;
        lock (_lock)
        {
            if (_lastSequence is { } last && price.Sequence <= last)
            {
                return false;
            }

            _lastSequence = price.Sequence;
            readers = [.. _readers];
            callbacks = [.. _callbacks];
        }

        foreach (var reader in readers)
        {
            reader.Writer.TryWrite(price);
        }

        foreach (var callback in callbacks)
        {
            try
            {
                callback(price);
            }
            catch (Exception e)
            {
                onCallbackError?.Invoke(e);
            }
        }

        return true;
    }

    public void Add(Channel<BestPrice> reader)
    {
        lock (_lock)
        {
            _readers.Add(reader);
        }
    }

    public void Remove(Channel<BestPrice> reader)
    {
        lock (_lock)
        {
            _readers.Remove(reader);
        }
    }

    public void Add(Action<BestPrice> callback)
    {
        lock (_lock)
        {
            _callbacks.Add(callback);
        }
    }

    public bool Remove(Action<BestPrice> callback)
    {
        lock (_lock)
        {
            return _callbacks.Remove(callback);
        }
    }

    /// <summary>Ends every reader's enumeration (the symbol was unsubscribed or the client disposed).</summary>
    public void Complete()
    {
        lock (_lock)
        {
            foreach (var reader in _readers)
            {
                reader.Writer.TryComplete();
            }

            _readers.Clear();
            _callbacks.Clear();
        }
    }
}
