namespace Edge.Perf.Reports;

/// <summary>
/// Reads a step from idle: how long after the rate jumped the latency came back under the target and stayed there.
/// </summary>
internal static class StepResponse
{
    /// <summary>The "first seconds" after a jump that the targets name separately (issue #14: ≤ 2 s to get there).</summary>
    public const double SettleSeconds = 2.0;

    /// <summary>
    /// The end of the last interval over <paramref name="p99TargetMs"/> (an interval with no deliveries while some
    /// were expected counts as over): 0 when none was, NaN when the last interval still was.
    /// </summary>
    public static double RecoverySeconds(List<IntervalSample> intervals, double p99TargetMs)
    {
        var recovered = 0.0;
        for (var i = 0; i < intervals.Count; i++)
        {
            var sample = intervals[i];
            var over = sample.Delivered == 0 ? sample.Expected > 0 : sample.P99Ms > p99TargetMs;
            if (over)
            {
                if (i == intervals.Count - 1)
                {
                    return double.NaN;
                }

                recovered = sample.EndSeconds;
            }
        }

        return recovered;
    }
}
