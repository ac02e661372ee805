using System.Diagnostics;

namespace Edge.Server.Tests.FanOut;

/// <summary>
/// A clock the test moves by hand (<see cref="TimeProvider.GetTimestamp"/> only; timers still run on real time). It
/// starts at the real Stopwatch time, so ingest's timestamps (taken from the Stopwatch) stay close to it.
/// </summary>
internal sealed class HandDrivenClock : TimeProvider
{
    private long _now = Stopwatch.GetTimestamp();

    public override long GetTimestamp() => _now;

    public void Advance(TimeSpan by) => _now += (long)(by.TotalSeconds * TimestampFrequency);

    /// <summary>Moves by a number of clock ticks (one tick either side of a limit, say).</summary>
    public void AdvanceTicks(long ticks) => _now += ticks;
}
