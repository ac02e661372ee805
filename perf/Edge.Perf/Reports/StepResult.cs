using Edge.Perf.Clients;
using HdrHistogram;

namespace Edge.Perf.Reports;

/// <summary>One measured window at one offered rate (a run has one; a sweep one per rate).</summary>
internal sealed class StepResult
{
    public double Rate { get; set; }

    public double Seconds { get; set; }

    public long Published { get; set; }

    public long FeedDropped { get; set; }

    public long FeedBackPressured { get; set; }

    public long Expected { get; set; }

    public long Delivered { get; set; }

    public long Gaps { get; set; }

    public long GapEvents { get; set; }

    public long OutOfOrder { get; set; }

    public long Unexpected { get; set; }

    public long Closed { get; set; }

    public double ToolCpuSeconds { get; set; }

    public double EdgeCpuSeconds { get; set; } = double.NaN;

    public long EdgeRssStart { get; set; }

    public long EdgeRssEnd { get; set; }

    public Dictionary<string, double> MetricDeltas { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, double> MetricsAtEnd { get; } = new(StringComparer.Ordinal);

    /// <summary>Edge's own share of the latency: its <c>edge_ingest_to_fanout_seconds</c> histogram over the window (ms; bucket upper bounds and mean).</summary>
    public double EdgeInternalP50Ms { get; set; } = double.NaN;

    public double EdgeInternalP99Ms { get; set; } = double.NaN;

    public double EdgeInternalMeanMs { get; set; } = double.NaN;

    public LongHistogram Latency { get; set; } = new(ClientLoop.HighestLatencyNs, 3);

    /// <summary>A step from idle (<c>run --step</c>): the window started when the rate jumped, with no warm-up.</summary>
    public bool FromIdle { get; set; }

    /// <summary>From idle: each short interval of the window, in order (see <see cref="IntervalSample"/>).</summary>
    public List<IntervalSample> Intervals { get; } = [];

    /// <summary>From idle: the latencies of the first <see cref="StepResponse.SettleSeconds"/> seconds after the jump.</summary>
    public LongHistogram FirstSeconds { get; set; } = new(ClientLoop.HighestLatencyNs, 3);

    /// <summary>From idle: the latencies after the first <see cref="StepResponse.SettleSeconds"/> seconds.</summary>
    public LongHistogram AfterFirstSeconds { get; set; } = new(ClientLoop.HighestLatencyNs, 3);

    /// <summary>
    /// From idle: seconds from the jump until every later interval's p99 stayed under the target (0: none exceeded it;
    /// NaN: the last interval still did).
    /// </summary>
    public double RecoverySeconds { get; set; } = double.NaN;

    /// <summary>Sweep only: p99 under the target and deliveries at least the minimum ratio of expected.</summary>
    public bool? Sustained { get; set; }

    public double PublishedPerSecond => Published / Seconds;

    public double ExpectedPerSecond => Expected / Seconds;

    public double DeliveredPerSecond => Delivered / Seconds;

    public double DeliveredRatio => Expected == 0 ? double.NaN : (double)Delivered / Expected;

    public double EdgeCpuShare => EdgeCpuSeconds / Seconds;

    public double ToolCpuShare => ToolCpuSeconds / Seconds;

    /// <summary>Edge CPU µs per delivered message.</summary>
    public double EdgeMicrosPerDelivery => Delivered == 0 ? double.NaN : EdgeCpuSeconds * 1e6 / Delivered;

    public double PercentileMs(double percentile) => Latency.TotalCount == 0 ? double.NaN : Latency.GetValueAtPercentile(percentile) / 1e6;

    public static double PercentileMs(LongHistogram histogram, double percentile) =>
        histogram.TotalCount == 0 ? double.NaN : histogram.GetValueAtPercentile(percentile) / 1e6;

    public double MaxMs => Latency.TotalCount == 0 ? double.NaN : Latency.GetMaxValue() / 1e6;
}
