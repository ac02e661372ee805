namespace Edge.Benchmarks.Ring;

/// <summary>How far a channel or queue consumer has got: count published once per drained batch, like a ring sequence.</summary>
public sealed class DrainProgress
{
    private long _count;

    public long Sum { get; set; }

    public long Count => Volatile.Read(ref _count);

    public void Publish(long count) => Volatile.Write(ref _count, count);

    /// <summary>The producer's end-of-operation wait: spin, then yield, never a 1 ms sleep.</summary>
    public void WaitFor(long count)
    {
        var spin = default(SpinWait);
        while (Count < count)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}
