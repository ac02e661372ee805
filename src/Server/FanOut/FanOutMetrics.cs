using Edge.Protocol.Ingest;
using Edge.Server.Metrics;

namespace Edge.Server.FanOut;

/// <summary>Exports the ingest, ring and fan-out counters, summing the loops at scrape time.</summary>
public static class FanOutMetrics
{
    public static void Register(MetricsRegistry metrics, FanOutService fanOut)
    {
        var ingest = fanOut.Ingest.Counters;
        metrics.Observe("edge_ingest_messages_total", "Price messages decoded and published into the ring.", MetricType.Counter, () => ingest.Published);
        foreach (var reason in Enum.GetValues<IngestDecodeResult>())
        {
            if (reason == IngestDecodeResult.Ok)
            {
                continue;
            }

            metrics.Observe("edge_ingest_rejected_total", "Price messages refused by the decoder, by reason.", MetricType.Counter,
                () => ingest.Rejected(reason), MetricLabels.Of("reason", reason.ToString()));
        }

        metrics.Observe("edge_ingest_name_table_full_total", "Messages dropped because a new symbol or venue exceeded the name table.", MetricType.Counter,
            () => ingest.NameTableFull);
        metrics.Observe("edge_ingest_stale_total", "Prices dropped because their sequence was not above the last one published for the symbol (sequences only grow for clients).", MetricType.Counter,
            () => ingest.Stale);
        var symbols = fanOut.Ingest.Symbols;
        metrics.Observe("edge_symbols", "Symbols known (interned) since start.", MetricType.Gauge, () => (long)symbols.Count);

        var ring = fanOut.Ring;
        metrics.Observe("edge_ring_capacity", "Price ring slots.", MetricType.Gauge, () => (long)ring.Capacity);
        metrics.Observe("edge_ring_depth", "Events published but not yet fanned out by the slowest event loop.", MetricType.Gauge, () => ring.GetMetrics().Depth);
        metrics.Observe("edge_ring_full_waits_total", "Times the ingest thread waited because the ring was full.", MetricType.Counter, () => ring.FullRingWaits);
        if (fanOut.StageProcessor is { } stage)
        {
            metrics.Observe("edge_ring_consumer_lag", "Events behind the ring cursor, per consumer.", MetricType.Gauge,
                () => stage.Lag, MetricLabels.Of("consumer", stage.Name));
            metrics.Observe("edge_ring_consumer_exceptions_total", "Handler exceptions per ring consumer (each event is skipped, the ring carries on).", MetricType.Counter,
                () => stage.ExceptionCount, MetricLabels.Of("consumer", stage.Name));
        }

        for (var i = 0; i < fanOut.Loops.Count; i++)
        {
            var loop = fanOut.Loops[i];
            metrics.Observe("edge_ring_consumer_lag", "Events behind the ring cursor, per consumer.", MetricType.Gauge,
                () => Math.Max(0, ring.Cursor - loop.Consumed.Value), MetricLabels.Of("consumer", "loop-" + i));
            metrics.Observe("edge_ring_consumer_exceptions_total", "Handler exceptions per ring consumer (each event is skipped, the ring carries on).", MetricType.Counter,
                () => loop.Counters.Exceptions, MetricLabels.Of("consumer", "loop-" + i));
        }

        var loops = fanOut.Loops;
        metrics.Observe("edge_fanout_deliveries_total", "Frames delivered to clients (a price to one subscriber is one delivery).", MetricType.Counter,
            () => Sum(loops, static c => c.Deliveries));
        metrics.Observe("edge_fanout_bytes_total", "Bytes written to clients by the fan-out.", MetricType.Counter, () => Sum(loops, static c => c.Bytes));
        metrics.Observe("edge_fanout_writes_total", "Corked writes (one write and flush per client per drain).", MetricType.Counter, () => Sum(loops, static c => c.Writes));
        metrics.Observe("edge_fanout_direct_writes_total", "Corked writes that went straight to the socket whole (FanOut:DirectWrites); the rest took the channel pipeline.",
            MetricType.Counter, () => Sum(loops, static c => c.DirectWrites));
        metrics.Observe("edge_fanout_drains_total", "Drains run by the event loops.", MetricType.Counter, () => Sum(loops, static c => c.Drains));
        metrics.Observe("edge_fanout_conflated_total", "Updates held back and replaced by a newer one (rate limit or slow consumer).", MetricType.Counter,
            () => Sum(loops, static c => c.Conflated));
        metrics.Observe("edge_slow_consumer_closes_total", "Clients closed with 4008 for not reading.", MetricType.Counter,
            () => Sum(loops, static c => c.SlowConsumerCloses));
        metrics.Observe("edge_slow_consumer_discarded_bytes_total", "Bytes queued in Edge for slow consumers and dropped at their close, so the close came next.",
            MetricType.Counter, () => Sum(loops, static c => c.SlowConsumerDiscardedBytes));
        metrics.Observe("edge_subscriptions", "Subscriptions held now.", MetricType.Gauge, () => Sum(loops, static c => c.Subscriptions));
    }

    private static long Sum(IReadOnlyList<LoopFanOut> loops, Func<FanOutCounters, long> read)
    {
        long total = 0;
        for (var i = 0; i < loops.Count; i++)
        {
            total += read(loops[i].Counters);
        }

        return total;
    }
}
