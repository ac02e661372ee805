namespace Edge.Perf.Reports;

/// <summary>
/// One short interval of a step from idle (<c>run --step</c>): when it ended (seconds after the rate jumped), how many
/// deliveries arrived in it and their p99 and max latency; an interval with none while the feed expected some counts
/// as over the target.
/// </summary>
internal readonly record struct IntervalSample(double EndSeconds, long Delivered, long Expected, double P99Ms, double MaxMs);
