using System.Diagnostics;
using Edge.Server.Metrics;

namespace Edge.Server.FanOut;

/// <summary>
/// One event loop's fan-out counters. Written only by that loop (plain increments published with a volatile
/// write), read by the metrics scrape, which sums the loops. No shared cache line on the delivery path.
/// </summary>
public sealed class FanOutCounters
{
    private readonly Histogram _ingestToFanOut;
    private readonly Histogram _ingestToWritten;
    private long _deliveries;
    private long _bytes;
    private long _writes;
    private long _directWrites;
    private long _drains;
    private long _events;
    private long _conflated;
    private long _slowConsumerCloses;
    private long _slowConsumerDiscardedBytes;
    private long _subscriptions;
    private long _exceptions;

    public FanOutCounters(Histogram ingestToFanOut, Histogram ingestToWritten)
    {
        _ingestToFanOut = ingestToFanOut;
        _ingestToWritten = ingestToWritten;
    }

    public long Deliveries => Volatile.Read(ref _deliveries);

    public long Bytes => Volatile.Read(ref _bytes);

    public long Writes => Volatile.Read(ref _writes);

    /// <summary>Corked writes that went straight to the socket, whole (the rest went through the pipeline).</summary>
    public long DirectWrites => Volatile.Read(ref _directWrites);

    public long Drains => Volatile.Read(ref _drains);

    public long Events => Volatile.Read(ref _events);

    public long Conflated => Volatile.Read(ref _conflated);

    public long SlowConsumerCloses => Volatile.Read(ref _slowConsumerCloses);

    /// <summary>Bytes queued in Edge for slow consumers and dropped at their close (never sent).</summary>
    public long SlowConsumerDiscardedBytes => Volatile.Read(ref _slowConsumerDiscardedBytes);

    public long Subscriptions => Volatile.Read(ref _subscriptions);

    /// <summary>Events or flushes that threw: each is skipped and the loop carries on.</summary>
    public long Exceptions => Volatile.Read(ref _exceptions);

    internal void CountDrain(long events)
    {
        Volatile.Write(ref _drains, _drains + 1);
        Volatile.Write(ref _events, _events + events);
    }

    internal void CountDeliveries(long deliveries) => Volatile.Write(ref _deliveries, _deliveries + deliveries);

    internal void CountWrite(int bytes)
    {
        Volatile.Write(ref _writes, _writes + 1);
        Volatile.Write(ref _bytes, _bytes + bytes);
    }

    internal void CountDirectWrite() => Volatile.Write(ref _directWrites, _directWrites + 1);

    internal void CountException() => Volatile.Write(ref _exceptions, _exceptions + 1);

    internal void CountConflated() => Volatile.Write(ref _conflated, _conflated + 1);

    internal void CountSlowConsumerClose(long discardedBytes)
    {
        Volatile.Write(ref _slowConsumerCloses, _slowConsumerCloses + 1);
        Volatile.Write(ref _slowConsumerDiscardedBytes, _slowConsumerDiscardedBytes + discardedBytes);
    }

    internal void SubscriptionsAdded(int count) => Volatile.Write(ref _subscriptions, _subscriptions + count);

    internal void SubscriptionsRemoved(int count) => Volatile.Write(ref _subscriptions, _subscriptions - count);

    internal void RecordIngestToFanOut(long stopwatchTicks) => _ingestToFanOut.Record((double)stopwatchTicks / Stopwatch.Frequency);

    internal void RecordIngestToWritten(long stopwatchTicks) => _ingestToWritten.Record((double)stopwatchTicks / Stopwatch.Frequency);
}
