using System.Diagnostics;
using System.Globalization;

namespace Edge.Benchmarks.Ring;

/// <summary>
/// Per-round-trip times kept in a pre-allocated buffer (the last 1 M, so the final iterations), printed as
/// percentiles at clean-up: BenchmarkDotNet only reports per-invocation statistics, and round trips on a
/// shared 2-core machine are bimodal (both threads on one core, or not), which a mean hides.
/// </summary>
public sealed class RoundTripSamples
{
    private readonly long[] _ticks = new long[1 << 20];
    private long _count;

    public void Add(long ticks) => _ticks[_count++ & (_ticks.Length - 1)] = ticks;

    public void Print(string name)
    {
        var n = (int)Math.Min(_count, _ticks.Length);
        if (n == 0)
        {
            return;
        }

        var sorted = _ticks.AsSpan(0, n);
        sorted.Sort();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// round-trip percentiles {name}: n={n} p50={Ns(sorted, 0.50)} p90={Ns(sorted, 0.90)} p99={Ns(sorted, 0.99)} p99.9={Ns(sorted, 0.999)} max={Ns(sorted, 1.0)} (ns)"));
    }

    private static string Ns(Span<long> sorted, double quantile)
    {
        var index = Math.Min(sorted.Length - 1, (int)(quantile * sorted.Length));
        return (sorted[index] * 1e9 / Stopwatch.Frequency).ToString("F0", CultureInfo.InvariantCulture);
    }
}
