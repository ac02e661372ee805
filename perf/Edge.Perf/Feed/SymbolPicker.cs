namespace Edge.Perf.Feed;

/// <summary>Draws symbol indexes, uniform or Zipf, from a seeded generator (reproducible runs).</summary>
internal sealed class SymbolPicker
{
    private readonly Random _random;
    private readonly double[]? _cumulative;
    private readonly int _count;

    public SymbolPicker(int count, SymbolPopularity popularity, double zipfExponent, int seed)
    {
        _count = count;
        _random = new Random(seed);
        if (popularity == SymbolPopularity.Zipf)
        {
            _cumulative = new double[count];
            var sum = 0.0;
            for (var i = 0; i < count; i++)
            {
                sum += 1.0 / Math.Pow(i + 1, zipfExponent);
                _cumulative[i] = sum;
            }

            for (var i = 0; i < count; i++)
            {
                _cumulative[i] /= sum;
            }
        }
    }

    public int Next()
    {
        if (_cumulative is null)
        {
            return _random.Next(_count);
        }

        var index = Array.BinarySearch(_cumulative, _random.NextDouble());
        return Math.Min(index < 0 ? ~index : index, _count - 1);
    }

    /// <summary><paramref name="k"/> distinct symbols (k ≤ count), drawn by popularity.</summary>
    public int[] NextDistinct(int k)
    {
        var chosen = new HashSet<int>();
        var result = new int[k];
        var n = 0;
        var attempts = 0;
        while (n < k)
        {
            // Under a steep Zipf the tail is rarely drawn: fall back to uniform after many repeats.
            var index = attempts++ < k * 50 ? Next() : _random.Next(_count);
            if (chosen.Add(index))
            {
                result[n++] = index;
            }
        }

        return result;
    }
}
