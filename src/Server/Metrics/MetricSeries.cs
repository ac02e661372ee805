namespace Edge.Server.Metrics;

/// <summary>One labelled series of a family: a Counter, Gauge, Histogram, or a reading taken at scrape time.</summary>
public sealed class MetricSeries
{
    public MetricSeries(string labels, object source)
    {
        Labels = labels;
        Source = source;
    }

    /// <summary>The label set already in Prometheus form, e.g. <c>tenant="acme",reason="short"</c>; empty for none.</summary>
    public string Labels { get; }

    /// <summary>A <see cref="Counter"/>, <see cref="Gauge"/>, <see cref="Histogram"/>, or a <see cref="Func{Int64}"/> / <see cref="Func{Double}"/> reading.</summary>
    public object Source { get; }
}
