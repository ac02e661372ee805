using System.Collections.Concurrent;
using System.Globalization;
using Edge.Server.Metrics;

namespace Edge.Server.Sse;

/// <summary>
/// The SSE transport's metrics (<c>edge_sse_*</c>), apart from the WebSocket ones: streams open and opened, refusals by
/// status and code, reconnections (a <c>Last-Event-ID</c>), preflights, heartbeats, and the two ways the server ends a
/// stream (slow consumer, shutdown). They move per stream or per timer, never per price.
/// </summary>
public sealed class SseCounters
{
    private readonly MetricsRegistry _registry;
    private readonly ConcurrentDictionary<(int Status, string Code), Counter> _refused = new();

    public SseCounters(MetricsRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        _registry = registry;
        Streams = registry.Gauge("edge_sse_streams", "SSE market-data streams open now.");
        StreamsOpened = registry.Counter("edge_sse_streams_opened_total", "SSE market-data streams started (200 sent).");
        Reconnects = registry.Counter("edge_sse_reconnects_total", "SSE streams started with a Last-Event-ID (header or lastEventId parameter): clients reconnecting.");
        Preflights = registry.Counter("edge_sse_preflights_total", "CORS preflight requests (OPTIONS) answered on the SSE path.");
        Heartbeats = registry.Counter("edge_sse_heartbeats_total", "': hb' comment heartbeats written to SSE streams.");
        SlowConsumerCloses = registry.Counter("edge_sse_slow_consumer_closes_total", "SSE streams cut for not reading (the slow-consumer policy).");
        ShutdownEnds = registry.Counter("edge_sse_shutdown_ends_total", "SSE streams ended by the shutdown drain (final status event and last chunk).");
    }

    public Gauge Streams { get; }

    public Counter StreamsOpened { get; }

    public Counter Reconnects { get; }

    public Counter Preflights { get; }

    public Counter Heartbeats { get; }

    public Counter SlowConsumerCloses { get; }

    public Counter ShutdownEnds { get; }

    /// <summary>Counts a request answered with an error instead of a stream.</summary>
    public void Refused(int status, string code) =>
        _refused.GetOrAdd((status, code), static (key, registry) => registry.Counter(
            "edge_sse_refused_total",
            "SSE stream requests answered with an error, by status and code.",
            MetricLabels.Of("status", key.Status.ToString(CultureInfo.InvariantCulture), "code", key.Code)), _registry).Increment();
}
