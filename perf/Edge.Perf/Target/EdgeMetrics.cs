using System.Globalization;

namespace Edge.Perf.Target;

/// <summary>One scrape of Edge's <c>/metrics</c> (Prometheus text): the text, and each family's value summed over its labels.</summary>
internal sealed class EdgeMetrics
{
    private EdgeMetrics(string text, Dictionary<string, double> values)
    {
        Text = text;
        Values = values;
    }

    public string Text { get; }

    public Dictionary<string, double> Values { get; }

    public static EdgeMetrics Empty { get; } = new(string.Empty, new Dictionary<string, double>(StringComparer.Ordinal));

    public double this[string family] => Values.TryGetValue(family, out var value) ? value : double.NaN;

    public static async Task<EdgeMetrics> ScrapeAsync(HttpClient http, Uri baseUri)
    {
        try
        {
            var text = await http.GetStringAsync(new Uri(baseUri, "/metrics"));
            return Parse(text);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return Empty;
        }
    }

    public static EdgeMetrics Parse(string text)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            if (space <= 0 || !double.TryParse(line.AsSpan(space + 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            var nameEnd = line.IndexOfAny(['{', ' ']);
            var name = line[..nameEnd];
            // Histogram buckets would be summed meaninglessly; keep _sum and _count only.
            if (name.EndsWith("_bucket", StringComparison.Ordinal))
            {
                continue;
            }

            values[name] = values.TryGetValue(name, out var sum) ? sum + value : value;
        }

        return new EdgeMetrics(text, values);
    }

    /// <summary>
    /// A Prometheus histogram's quantile over the window between two scrapes, as the upper bound of the bucket it
    /// falls in (NaN when absent or empty). Coarse by design: Edge's buckets are 50 µs, 100 µs, 250 µs, 500 µs, 1 ms …
    /// </summary>
    public static double QuantileUpperBound(EdgeMetrics start, EdgeMetrics end, string family, double quantile)
    {
        var startBuckets = Buckets(start.Text, family);
        var endBuckets = Buckets(end.Text, family);
        if (endBuckets.Count == 0)
        {
            return double.NaN;
        }

        var total = endBuckets[^1].Count - (startBuckets.Count == endBuckets.Count ? startBuckets[^1].Count : 0);
        if (total <= 0)
        {
            return double.NaN;
        }

        for (var i = 0; i < endBuckets.Count; i++)
        {
            var count = endBuckets[i].Count - (startBuckets.Count == endBuckets.Count ? startBuckets[i].Count : 0);
            if (count >= quantile * total)
            {
                return endBuckets[i].UpperBound;
            }
        }

        return double.PositiveInfinity;
    }

    private static List<(double UpperBound, double Count)> Buckets(string text, string family)
    {
        var buckets = new List<(double, double)>();
        var prefix = family + "_bucket{le=\"";
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var close = line.IndexOf('"', prefix.Length);
            var bound = line.AsSpan(prefix.Length, close - prefix.Length);
            var upper = bound.SequenceEqual("+Inf") ? double.PositiveInfinity : double.Parse(bound, NumberStyles.Float, CultureInfo.InvariantCulture);
            var count = double.Parse(line.AsSpan(line.LastIndexOf(' ') + 1), NumberStyles.Float, CultureInfo.InvariantCulture);
            buckets.Add((upper, count));
        }

        return buckets;
    }

    /// <summary>end − start for a counter family (NaN when either scrape lacks it).</summary>
    public static double Delta(EdgeMetrics start, EdgeMetrics end, string family) => end[family] - start[family];
}
