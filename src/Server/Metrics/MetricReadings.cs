namespace Edge.Server.Metrics;

/// <summary>
/// Series that come and go (one per Aeron image, say): read at each scrape as (labels, value) pairs, so a family can
/// show what exists now without registering and removing series.
/// </summary>
public sealed class MetricReadings
{
    private readonly Action<List<KeyValuePair<string, long>>> _read;

    public MetricReadings(Action<List<KeyValuePair<string, long>>> read) => _read = read;

    /// <summary>Adds the current (labels, value) pairs to <paramref name="into"/>; labels in Prometheus form (<see cref="MetricLabels"/>).</summary>
    public void Read(List<KeyValuePair<string, long>> into) => _read(into);
}
