namespace Edge.Ingest.Ring;

/// <summary>
/// Where an event processor reports an exception its handler threw. The processor has already counted it
/// and carries on with the next event once this returns; an exception thrown from here is swallowed (the count
/// still shows it), so a failing handler can never stop the ring.
/// </summary>
public interface IEventExceptionHandler<T>
    where T : struct
{
    void HandleEventException(Exception exception, long sequence, ref T slot, string processorName);
}
