namespace Edge.Ingest.Ring;

/// <summary>A point-in-time view of one consumer (event processor) for the metrics exporter.</summary>
/// <param name="Name">The processor's (and its thread's) name.</param>
/// <param name="Sequence">The last sequence it finished.</param>
/// <param name="Lag">Ring cursor minus <paramref name="Sequence"/>: events published it has not finished.</param>
/// <param name="ExceptionCount">Events whose handler threw (each reported, then skipped).</param>
/// <param name="IsRunning">Whether its thread is running.</param>
public readonly record struct ConsumerMetrics(
    string Name,
    long Sequence,
    long Lag,
    long ExceptionCount,
    bool IsRunning);
