using System.Globalization;

namespace Edge.EndToEnd.Tests.Operations;

/// <summary>Reads one series' value out of a /metrics scrape (Prometheus text format 0.0.4).</summary>
internal static class PrometheusText
{
    /// <summary>The value of <paramref name="series"/> (name and labels exactly as rendered), or null when absent.</summary>
    public static double? Value(string scrape, string series)
    {
        foreach (var line in scrape.Split('\n'))
        {
            if (line.Length > series.Length && line.StartsWith(series, StringComparison.Ordinal) && line[series.Length] == ' ')
            {
                return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return null;
    }
}
