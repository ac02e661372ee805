namespace Edge.Server.Metrics;

/// <summary>
/// A fixed-bucket histogram in the Prometheus sense: cumulative bucket counts, a count and a sum. Recording is
/// lock-free and allocation-free: a linear scan of a few bucket bounds and two interlocked adds.
/// </summary>
public sealed class Histogram
{
    private readonly double[] _upperBounds;
    private readonly long[] _counts;
    private long _sumMicros;
    private long _count;

    /// <param name="upperBounds">Bucket upper bounds in rising order, in the unit recorded (e.g. seconds).</param>
    public Histogram(double[] upperBounds)
    {
        for (var i = 1; i < upperBounds.Length; i++)
        {
            if (upperBounds[i] <= upperBounds[i - 1])
            {
                throw new ArgumentException("bucket bounds must rise", nameof(upperBounds));
            }
        }

        _upperBounds = upperBounds;
        _counts = new long[upperBounds.Length + 1];
    }

    /// <summary>Latency buckets from 50 µs to 10 s, in seconds.</summary>
    public static double[] LatencySeconds =>
        [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

    public IReadOnlyList<double> UpperBounds => _upperBounds;

    public long Count => Volatile.Read(ref _count);

    /// <summary>The sum of recorded values, kept in millionths of the unit to stay integral.</summary>
    public double Sum => Volatile.Read(ref _sumMicros) / 1_000_000.0;

    public void Record(double value)
    {
        var bucket = 0;
        while (bucket < _upperBounds.Length && value > _upperBounds[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _counts[bucket]);
        Interlocked.Add(ref _sumMicros, (long)(value * 1_000_000.0));
        Interlocked.Increment(ref _count);
    }

    /// <summary>The count of values at or below bucket <paramref name="index"/>'s bound (the last one is +Inf).</summary>
    public long CumulativeCount(int index)
    {
        long total = 0;
        for (var i = 0; i <= index; i++)
        {
            total += Volatile.Read(ref _counts[i]);
        }

        return total;
    }
}
