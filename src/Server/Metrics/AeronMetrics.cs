using System.Globalization;
using Edge.Ingest.Aeron;

namespace Edge.Server.Metrics;

/// <summary>Exports the embedded Aeron receiver's counters.</summary>
public static class AeronMetrics
{
    public static void Register(MetricsRegistry metrics, AeronReceiverCounters counters)
    {
        metrics.Observe("edge_aeron_datagrams_total", "UDP datagrams received on the ingest endpoint.", MetricType.Counter, () => counters.DatagramsReceived);
        metrics.Observe("edge_aeron_bytes_total", "UDP bytes received on the ingest endpoint.", MetricType.Counter, () => counters.BytesReceived);
        metrics.Observe("edge_aeron_messages_total", "Complete Aeron messages delivered to ingest.", MetricType.Counter, () => counters.MessagesDelivered);
        metrics.Observe("edge_aeron_naks_sent_total", "NAKs sent for detected loss.", MetricType.Counter, () => counters.NaksSent);
        metrics.Observe("edge_aeron_naks_suppressed_total", "Multicast: NAKs not sent because another receiver had just NAKed the same gap.",
            MetricType.Counter, () => counters.NaksSuppressed);
        metrics.ObserveEach("edge_aeron_image_naks_sent_total",
            "NAKs sent, per live image; labels: image id, session, source (the publisher's address) and kind (unicast, multicast, mdc).",
            MetricType.Counter, into => ReadImages(counters, into, suppressed: false));
        metrics.ObserveEach("edge_aeron_image_naks_suppressed_total",
            "Multicast: NAKs held back because another receiver NAKed the same gap first, per live image.",
            MetricType.Counter, into => ReadImages(counters, into, suppressed: true));
        metrics.Observe("edge_aeron_status_messages_sent_total", "Status messages sent to publishers.", MetricType.Counter, () => counters.StatusMessagesSent);
        metrics.Observe("edge_aeron_images", "Publisher sessions (images) live now.", MetricType.Gauge, () => counters.ActiveImages);
        metrics.Observe("edge_aeron_images_timed_out_total", "Publisher sessions dropped by the liveness timeout.", MetricType.Counter, () => counters.ImagesTimedOut);
        metrics.Observe("edge_aeron_images_replaced_total", "Publisher sessions ended because the publisher restarted (same session id and address, new stream).",
            MetricType.Counter, () => counters.ImagesReplaced);
        metrics.Observe("edge_aeron_errors_total", "Errors on the receive thread (it carries on).", MetricType.Counter,
            () => counters.ReceiverErrors + counters.HandlerErrors + counters.SendErrors);
        foreach (var reason in Enum.GetValues<AeronDropReason>())
        {
            metrics.Observe("edge_aeron_dropped_total", "Datagrams or frames dropped, by reason.", MetricType.Counter,
                () => counters.Dropped(reason), MetricLabels.Of("reason", reason.ToString()));
        }
    }

    private static void ReadImages(AeronReceiverCounters counters, List<KeyValuePair<string, long>> into, bool suppressed)
    {
        foreach (var image in counters.LiveImages)
        {
            var labels = "image=\"" + image.ImageId.ToString(CultureInfo.InvariantCulture)
                + "\",session=\"" + image.SessionId.ToString(CultureInfo.InvariantCulture) + "\","
                + MetricLabels.Of("source", image.Source.ToString(), "kind", image.Kind.ToString().ToLowerInvariant());
            into.Add(new(labels, suppressed ? image.NaksSuppressed : image.NaksSent));
        }
    }
}
