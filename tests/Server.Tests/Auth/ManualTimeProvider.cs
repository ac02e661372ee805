namespace Edge.Server.Tests.Auth;

/// <summary>A clock the test sets. Timers still run on real time (TimeProvider's default CreateTimer).</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private DateTimeOffset _now;

    public ManualTimeProvider(DateTimeOffset now) => _now = now;

    public DateTimeOffset Now
    {
        get => _now;
        set => _now = value;
    }

    public override DateTimeOffset GetUtcNow() => _now;
}
