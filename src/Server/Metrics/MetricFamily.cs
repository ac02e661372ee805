namespace Edge.Server.Metrics;

/// <summary>One metric name with its help text and type, and its series: one per label set.</summary>
public sealed class MetricFamily
{
    private readonly List<MetricSeries> _series = [];

    public MetricFamily(string name, string help, MetricType type)
    {
        Name = name;
        Help = help;
        Type = type;
    }

    public string Name { get; }

    public string Help { get; }

    public MetricType Type { get; }

    /// <summary>A copy of the series, taken under the family's lock so scrapes never see a half-added one.</summary>
    public MetricSeries[] Snapshot()
    {
        lock (_series)
        {
            return [.. _series];
        }
    }

    internal object GetOrAdd(string labels, Func<object> create)
    {
        lock (_series)
        {
            foreach (var series in _series)
            {
                if (series.Labels == labels)
                {
                    return series.Source;
                }
            }

            var created = create();
            _series.Add(new MetricSeries(labels, created));
            return created;
        }
    }
}
