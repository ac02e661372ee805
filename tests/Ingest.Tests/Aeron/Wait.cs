namespace Edge.Ingest.Tests.Aeron;

/// <summary>Waiting on a condition with a generous deadline: the only way tests here synchronise.</summary>
internal static class Wait
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    public static void Until(Func<bool> condition, string what) => Until(condition, Generous, what);

    /// <summary>As <see cref="Until(Func{bool}, string)"/>, the failure message adding what <paramref name="describe"/> says then.</summary>
    public static void Until(Func<bool> condition, string what, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + Generous;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {Generous.TotalSeconds:0} s waiting for: {what} ({describe()})");
            }

            Thread.Sleep(2);
        }
    }

    public static void Until(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out after {timeout.TotalSeconds:0} s waiting for: {what}");
            }

            Thread.Sleep(2);
        }
    }
}
