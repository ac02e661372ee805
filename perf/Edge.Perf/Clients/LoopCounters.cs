namespace Edge.Perf.Clients;

/// <summary>A client loop's counters: written by the loop thread only, read by others with <see cref="Volatile"/>.</summary>
internal sealed class LoopCounters
{
    public long Delivered;
    public long Gaps;
    public long GapEvents;
    public long OutOfOrder;
    public long Unexpected;
    public long Snapshots;
    public long Acks;
    public long AckErrors;
    public long ErrorMessages;
    public long HandshakesOk;
    public long HandshakesFailed;
    public long Closed;
    public long BytesReceived;
    public long Subscribed;

    public void AddTo(LoopTotals totals)
    {
        totals.Delivered += Volatile.Read(ref Delivered);
        totals.Gaps += Volatile.Read(ref Gaps);
        totals.GapEvents += Volatile.Read(ref GapEvents);
        totals.OutOfOrder += Volatile.Read(ref OutOfOrder);
        totals.Unexpected += Volatile.Read(ref Unexpected);
        totals.Snapshots += Volatile.Read(ref Snapshots);
        totals.Acks += Volatile.Read(ref Acks);
        totals.AckErrors += Volatile.Read(ref AckErrors);
        totals.ErrorMessages += Volatile.Read(ref ErrorMessages);
        totals.HandshakesOk += Volatile.Read(ref HandshakesOk);
        totals.HandshakesFailed += Volatile.Read(ref HandshakesFailed);
        totals.Closed += Volatile.Read(ref Closed);
        totals.BytesReceived += Volatile.Read(ref BytesReceived);
        totals.Subscribed += Volatile.Read(ref Subscribed);
    }
}
