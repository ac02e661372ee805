namespace Edge.Ingest.Tests.Ring;

/// <summary>
/// What a checking consumer saw. Written only by the consumer's thread; read by the test after the consumer's
/// sequence shows it finished (the sequence is a release store, so these plain fields are visible by then).
/// </summary>
internal sealed class SequenceCheck
{
    public long Count;
    public long LastSequence = -1;
    public long Errors;
    public string? FirstError;
    public long EndOfBatchCount;

    public void Fail(string error)
    {
        Errors++;
        FirstError ??= error;
    }
}
