using System.Diagnostics;

namespace Edge.Perf;

/// <summary>
/// Nanoseconds since the Unix epoch from one wall-clock reading plus the monotonic clock: ns resolution, no
/// steps from NTP during a run. The feed stamps prices with it and the clients read it on receipt, in the same
/// process, so the latency is publish → receive on one clock.
/// </summary>
internal static class PerfClock
{
    private static readonly long BaseUnixNs = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
    private static readonly long BaseTimestamp = Stopwatch.GetTimestamp();
    private static readonly double NsPerTick = 1e9 / Stopwatch.Frequency;

    public static long NowNs() => BaseUnixNs + (long)((Stopwatch.GetTimestamp() - BaseTimestamp) * NsPerTick);
}
