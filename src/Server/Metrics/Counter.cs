namespace Edge.Server.Metrics;

/// <summary>A monotonically rising count, safe to add to from any thread.</summary>
public sealed class Counter
{
    private long _value;

    public long Value => Volatile.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);

    public void Add(long amount) => Interlocked.Add(ref _value, amount);
}
