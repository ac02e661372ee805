namespace Edge.Server.Metrics;

/// <summary>A value that goes up and down (connections open, subscriptions held), safe from any thread.</summary>
public sealed class Gauge
{
    private long _value;

    public long Value => Volatile.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Decrement() => Interlocked.Decrement(ref _value);

    public void Add(long amount) => Interlocked.Add(ref _value, amount);

    public void Set(long value) => Volatile.Write(ref _value, value);
}
