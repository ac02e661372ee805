namespace Edge.Tests.Shared;

/// <summary>
/// The one way the tests wait for something that happens on another thread or process: poll a condition until it
/// holds, failing with what was awaited once a generous bound passes. Never a fixed sleep, never an assertion on time.
/// Linked into each test project (tests/Shared).
/// </summary>
internal static class Eventually
{
    /// <summary>Long enough for a loaded 2-core machine; a condition that takes longer is a failure.</summary>
    public static readonly TimeSpan DefaultBound = TimeSpan.FromSeconds(30);

    public static async Task WaitUntilAsync(Func<bool> condition, string what = "the condition held", TimeSpan? bound = null)
    {
        using var timeout = new CancellationTokenSource(bound ?? DefaultBound);
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail("timed out waiting until " + what);
            }

            await Task.Delay(10);
        }
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what = "the condition held", TimeSpan? bound = null)
    {
        using var timeout = new CancellationTokenSource(bound ?? DefaultBound);
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
            {
                Assert.Fail("timed out waiting until " + what);
            }

            await Task.Delay(10);
        }
    }

    /// <summary>For threads that must not await (ring tests): spins, then yields, until the condition holds.</summary>
    public static void WaitUntil(Func<bool> condition, string what = "the condition held", TimeSpan? bound = null) =>
        Assert.That(SpinWait.SpinUntil(condition, bound ?? DefaultBound), Is.True, "timed out waiting until " + what);
}
