namespace Edge.Perf.Reports;

/// <summary>Edge's memory with a number of idle connections open, against the baseline with none.</summary>
internal sealed class IdleLevel
{
    public int Connections { get; set; }

    public long Open { get; set; }

    public long RssBytes { get; set; }

    public double ManagedBytes { get; set; } = double.NaN;

    public double RssPerConnection { get; set; } = double.NaN;

    public double ManagedPerConnection { get; set; } = double.NaN;

    public double ConnectSeconds { get; set; }
}
