namespace Edge.Ingest.Ring;

/// <summary>
/// What a consumer waits on: the ring's cursor when it has no upstream consumers, otherwise the slowest of
/// the upstream consumers' sequences (which can never be ahead of the cursor), so a stage never overtakes
/// the stages it depends on.
/// </summary>
public sealed class DependentSequences
{
    private readonly Sequence _cursor;
    private readonly Sequence[] _upstream;

    internal DependentSequences(Sequence cursor, Sequence[] upstream)
    {
        _cursor = cursor;
        _upstream = upstream;
    }

    /// <summary>The highest sequence the waiting consumer may read up to (before the multi-producer publish check).</summary>
    public long Value => _upstream.Length switch
    {
        0 => _cursor.Value,
        1 => _upstream[0].Value,
        _ => MinimumSequence.Of(_upstream, long.MaxValue),
    };

    /// <summary>The ring's cursor (the highest claimed sequence).</summary>
    public long CursorValue => _cursor.Value;

    /// <summary>The number of upstream consumers this one depends on.</summary>
    public int UpstreamCount => _upstream.Length;
}
