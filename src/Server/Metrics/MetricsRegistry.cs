using System.Globalization;
using System.Text;

namespace Edge.Server.Metrics;

/// <summary>
/// Every metric Edge exports, rendered as Prometheus text (format 0.0.4) for <c>GET /metrics</c>. Components
/// register their counters once at start; hot paths then touch only their own Counter/Gauge/Histogram, or keep
/// plain fields that a registered reading (<c>Observe</c>) reads at scrape time.
/// </summary>
public sealed class MetricsRegistry
{
    private readonly List<MetricFamily> _families = [];

    public Counter Counter(string name, string help, string labels = "") =>
        (Counter)Family(name, help, MetricType.Counter).GetOrAdd(labels, static () => new Counter());

    public Gauge Gauge(string name, string help, string labels = "") =>
        (Gauge)Family(name, help, MetricType.Gauge).GetOrAdd(labels, static () => new Gauge());

    public Histogram Histogram(string name, string help, double[] upperBounds, string labels = "") =>
        (Histogram)Family(name, help, MetricType.Histogram).GetOrAdd(labels, () => new Histogram(upperBounds));

    /// <summary>Exports a value another component keeps (ring depth, receiver counters), read at each scrape.</summary>
    public void Observe(string name, string help, MetricType type, Func<long> read, string labels = "") =>
        Family(name, help, type).GetOrAdd(labels, () => read);

    /// <summary>Exports a fractional reading (seconds, ratios), read at each scrape.</summary>
    public void Observe(string name, string help, MetricType type, Func<double> read, string labels = "") =>
        Family(name, help, type).GetOrAdd(labels, () => read);

    /// <summary>Exports series that come and go (per Aeron image, say), listed at each scrape with their labels.</summary>
    public void ObserveEach(string name, string help, MetricType type, Action<List<KeyValuePair<string, long>>> read) =>
        Family(name, help, type).GetOrAdd(string.Empty, () => new MetricReadings(read));

    public string Render()
    {
        MetricFamily[] families;
        lock (_families)
        {
            families = [.. _families];
        }

        var text = new StringBuilder(4096);
        foreach (var family in families)
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(family.Help).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(TypeName(family.Type)).Append('\n');
            foreach (var series in family.Snapshot())
            {
                WriteSeries(text, family.Name, series);
            }
        }

        return text.ToString();
    }

    private MetricFamily Family(string name, string help, MetricType type)
    {
        lock (_families)
        {
            foreach (var family in _families)
            {
                if (family.Name == name)
                {
                    return family.Type == type ? family : throw new InvalidOperationException($"metric {name} is already a {family.Type}");
                }
            }

            var created = new MetricFamily(name, help, type);
            _families.Add(created);
            return created;
        }
    }

    private static void WriteSeries(StringBuilder text, string name, MetricSeries series)
    {
        switch (series.Source)
        {
            case Counter counter:
                Line(text, name, series.Labels, counter.Value);
                break;
            case Gauge gauge:
                Line(text, name, series.Labels, gauge.Value);
                break;
            case Func<long> read:
                Line(text, name, series.Labels, read());
                break;
            case Func<double> readFraction:
                Line(text, name, series.Labels, readFraction());
                break;
            case Histogram histogram:
                WriteHistogram(text, name, series.Labels, histogram);
                break;
            case MetricReadings readings:
                var current = new List<KeyValuePair<string, long>>();
                readings.Read(current);
                foreach (var reading in current)
                {
                    Line(text, name, reading.Key, reading.Value);
                }

                break;
        }
    }

    private static void WriteHistogram(StringBuilder text, string name, string labels, Histogram histogram)
    {
        var prefix = labels.Length == 0 ? string.Empty : labels + ",";
        for (var i = 0; i <= histogram.UpperBounds.Count; i++)
        {
            var bound = i < histogram.UpperBounds.Count ? histogram.UpperBounds[i].ToString("R", CultureInfo.InvariantCulture) : "+Inf";
            text.Append(name).Append("_bucket{").Append(prefix).Append("le=\"").Append(bound).Append("\"} ")
                .Append(histogram.CumulativeCount(i).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        Line(text, name + "_sum", labels, histogram.Sum);
        Line(text, name + "_count", labels, histogram.Count);
    }

    private static void Line(StringBuilder text, string name, string labels, long value)
    {
        Name(text, name, labels).Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
    }

    private static void Line(StringBuilder text, string name, string labels, double value)
    {
        Name(text, name, labels).Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }

    private static StringBuilder Name(StringBuilder text, string name, string labels)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{').Append(labels).Append('}');
        }

        return text.Append(' ');
    }

    private static string TypeName(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        _ => "histogram",
    };
}
