namespace Edge.Server.Metrics;

/// <summary>One kind of error an <see cref="ErrorLog"/> has seen: where, what type, how often, first and last time.</summary>
public sealed class DistinctError
{
    private long _count;
    private long _lastSeenUnixMs;

    internal DistinctError(string source, string type, string firstMessage, long nowUnixMs)
    {
        Source = source;
        Type = type;
        FirstMessage = firstMessage;
        FirstSeenUnixMs = nowUnixMs;
        _lastSeenUnixMs = nowUnixMs;
    }

    /// <summary>The part of Edge that caught it (<c>ingest</c>, <c>fan-out</c>, <c>session</c> …).</summary>
    public string Source { get; }

    /// <summary>The exception's type name.</summary>
    public string Type { get; }

    /// <summary>The message of the first one seen (later ones of the same kind may differ).</summary>
    public string FirstMessage { get; }

    public long FirstSeenUnixMs { get; }

    public long LastSeenUnixMs => Volatile.Read(ref _lastSeenUnixMs);

    public long Count => Volatile.Read(ref _count);

    internal void Seen(long nowUnixMs)
    {
        Interlocked.Increment(ref _count);
        Volatile.Write(ref _lastSeenUnixMs, nowUnixMs);
    }
}
