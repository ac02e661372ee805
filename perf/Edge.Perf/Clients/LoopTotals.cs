namespace Edge.Perf.Clients;

/// <summary>The client loops' counters summed at one moment; differences of two give a window.</summary>
internal sealed class LoopTotals
{
    public long Delivered { get; set; }

    public long Gaps { get; set; }

    public long GapEvents { get; set; }

    public long OutOfOrder { get; set; }

    public long Unexpected { get; set; }

    public long Snapshots { get; set; }

    public long Acks { get; set; }

    public long AckErrors { get; set; }

    public long ErrorMessages { get; set; }

    public long HandshakesOk { get; set; }

    public long HandshakesFailed { get; set; }

    public long Closed { get; set; }

    public long BytesReceived { get; set; }

    public long Subscribed { get; set; }

    public LoopTotals Minus(LoopTotals start) => new()
    {
        Delivered = Delivered - start.Delivered,
        Gaps = Gaps - start.Gaps,
        GapEvents = GapEvents - start.GapEvents,
        OutOfOrder = OutOfOrder - start.OutOfOrder,
        Unexpected = Unexpected - start.Unexpected,
        Snapshots = Snapshots - start.Snapshots,
        Acks = Acks - start.Acks,
        AckErrors = AckErrors - start.AckErrors,
        ErrorMessages = ErrorMessages - start.ErrorMessages,
        HandshakesOk = HandshakesOk - start.HandshakesOk,
        HandshakesFailed = HandshakesFailed - start.HandshakesFailed,
        Closed = Closed - start.Closed,
        BytesReceived = BytesReceived - start.BytesReceived,
        Subscribed = Subscribed - start.Subscribed,
    };
}
