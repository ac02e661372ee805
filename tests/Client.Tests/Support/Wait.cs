namespace Edge.Client.Tests.Support;

/// <summary>Bounded condition waits: polls a condition until it holds or a generous timeout fails the test.</summary>
internal static class Wait
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task UntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        while (!condition())
        {
            Assert.That(timeout.IsCancellationRequested, Is.False, "timed out waiting until " + what);
            await Task.Delay(10, CancellationToken.None);
        }
    }
}
