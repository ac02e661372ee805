using System.Diagnostics;

namespace Edge.Ingest.Aeron;

/// <summary>Monotonic nanoseconds for protocol timers (SM cadence, NAK delay, liveness).</summary>
internal static class MonotonicClock
{
    private static readonly double NanosPerTick = 1_000_000_000.0 / Stopwatch.Frequency;
    private static readonly bool TicksAreNanos = Stopwatch.Frequency == 1_000_000_000;

    public static long NowNanoseconds
    {
        get
        {
            var ticks = Stopwatch.GetTimestamp();
            return TicksAreNanos ? ticks : (long)(ticks * NanosPerTick);
        }
    }

    public static long ToNanoseconds(TimeSpan span) => span.Ticks * 100;
}
