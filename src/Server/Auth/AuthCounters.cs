namespace Edge.Server.Auth;

/// <summary>
/// Monotonic counters for the metrics endpoint: validations by outcome and JWKS reloads. Thread-safe;
/// increments are lock-free.
/// </summary>
public sealed class AuthCounters
{
    private readonly long[] _failures = new long[Enum.GetValues<AuthFailureReason>().Length];
    private long _succeeded;
    private long _jwksReloads;
    private long _jwksReloadFailures;

    /// <summary>Tokens accepted (handshakes and refreshes).</summary>
    public long Succeeded => Volatile.Read(ref _succeeded);

    /// <summary>JWKS file reloads that replaced the key set.</summary>
    public long JwksReloads => Volatile.Read(ref _jwksReloads);

    /// <summary>JWKS file reloads that failed (the previous keys stayed in use).</summary>
    public long JwksReloadFailures => Volatile.Read(ref _jwksReloadFailures);

    /// <summary>Tokens refused for <paramref name="reason"/>.</summary>
    public long Failed(AuthFailureReason reason) => (uint)reason < (uint)_failures.Length ? Volatile.Read(ref _failures[(int)reason]) : 0;

    /// <summary>Tokens refused for any reason.</summary>
    public long TotalFailed
    {
        get
        {
            long total = 0;
            for (var i = 1; i < _failures.Length; i++)
            {
                total += Volatile.Read(ref _failures[i]);
            }

            return total;
        }
    }

    internal void CountSuccess() => Interlocked.Increment(ref _succeeded);

    internal void CountFailure(AuthFailureReason reason)
    {
        if ((uint)reason < (uint)_failures.Length)
        {
            Interlocked.Increment(ref _failures[(int)reason]);
        }
    }

    internal void CountJwksReload() => Interlocked.Increment(ref _jwksReloads);

    internal void CountJwksReloadFailure() => Interlocked.Increment(ref _jwksReloadFailures);
}
