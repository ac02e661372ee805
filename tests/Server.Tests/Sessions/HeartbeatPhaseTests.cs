using Edge.Server.Sessions;

namespace Edge.Server.Tests.Sessions;

/// <summary>Connections that arrive together get their heartbeats spread over the interval, never later than it.</summary>
public sealed class HeartbeatPhaseTests
{
    [Test]
    public void First_heartbeats_spread_over_the_interval_and_none_comes_later_than_it()
    {
        var interval = TimeSpan.FromSeconds(30);
        var buckets = new int[10];
        for (var i = 0; i < 10_000; i++)
        {
            var delay = HeartbeatPhase.FirstDelay(interval);
            Assert.That(delay, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(10)).And.LessThanOrEqualTo(interval));
            buckets[Math.Min(9, (int)(delay / interval * 10))]++;
        }

        // Uniform: each tenth of the interval gets about 1000 of 10 000 (a fixed delay would put all in the last one).
        Assert.That(buckets, Has.All.InRange(700, 1300), string.Join(", ", buckets));
    }

    [Test]
    public void A_short_interval_never_yields_a_timer_under_10_ms()
    {
        for (var i = 0; i < 1000; i++)
        {
            Assert.That(HeartbeatPhase.FirstDelay(TimeSpan.FromMilliseconds(20)), Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(10)));
        }
    }
}
