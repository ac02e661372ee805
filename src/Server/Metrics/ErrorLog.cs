using Microsoft.Extensions.Logging;

namespace Edge.Server.Metrics;

/// <summary>
/// Edge's one error log, after Aeron's distinct error log: every exception Edge catches and carries on from is
/// recorded here, and each distinct kind (where it was caught and its type) is logged once, when first seen, and
/// counted with its first and last time at <c>/metrics</c> (<c>edge_errors_total</c>,
/// <c>edge_error_first_seen_seconds</c>, <c>edge_error_last_seen_seconds</c>). A bug that throws for every message
/// therefore costs a counter increment per message, not a log line.
/// </summary>
/// <remarks>
/// Thread-safe. At most <see cref="MaxDistinct"/> kinds are kept, so the metric's labels stay a bounded set; kinds
/// beyond that are counted together under source <c>any</c>, type <see cref="OverflowType"/>, logged once.
/// </remarks>
public sealed partial class ErrorLog
{
    /// <summary>How many distinct kinds are kept; beyond it new kinds are counted together as <see cref="OverflowType"/>.</summary>
    public const int MaxDistinct = 64;

    /// <summary>The type label under which kinds beyond <see cref="MaxDistinct"/> are counted.</summary>
    public const string OverflowType = "other";

    private readonly MetricsRegistry _metrics;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Dictionary<(string Source, Type Type), DistinctError> _byKind = [];
    private readonly List<DistinctError> _all = [];
    private DistinctError? _overflow;

    public ErrorLog(MetricsRegistry metrics, ILogger logger, TimeProvider? time = null)
    {
        _metrics = metrics;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The kinds seen so far, in the order first seen.</summary>
    public IReadOnlyList<DistinctError> Snapshot()
    {
        lock (_byKind)
        {
            return [.. _all];
        }
    }

    /// <summary>Records one caught exception from <paramref name="source"/>; logs it only if its kind is new.</summary>
    public void Record(string source, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        DistinctError? created = null;
        DistinctError entry;
        lock (_byKind)
        {
            var key = (source, exception.GetType());
            if (!_byKind.TryGetValue(key, out entry!))
            {
                if (_byKind.Count < MaxDistinct)
                {
                    entry = created = new DistinctError(source, exception.GetType().Name, exception.Message, now);
                    _byKind.Add(key, entry);
                }
                else if (_overflow is null)
                {
                    entry = created = _overflow = new DistinctError("any", OverflowType, exception.Message, now);
                }
                else
                {
                    entry = _overflow;
                }

                if (created is not null)
                {
                    _all.Add(created);
                }
            }
        }

        entry.Seen(now);
        if (created is not null)
        {
            Export(created);
            LogFirstSeen(created.Source, created.Type, exception);
        }
    }

    private void Export(DistinctError error)
    {
        var labels = MetricLabels.Of("source", error.Source, "type", error.Type);
        _metrics.Observe("edge_errors_total", "Exceptions Edge caught and carried on from, by where and type (each kind is logged once, when first seen).", MetricType.Counter, () => error.Count, labels);
        _metrics.Observe("edge_error_first_seen_seconds", "When this kind of error was first seen (Unix time).", MetricType.Gauge, () => error.FirstSeenUnixMs / 1000.0, labels);
        _metrics.Observe("edge_error_last_seen_seconds", "When this kind of error was last seen (Unix time).", MetricType.Gauge, () => error.LastSeenUnixMs / 1000.0, labels);
    }

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "{Source}: first {Type}; Edge carries on, and later ones of this kind are only counted (edge_errors_total)")]
    private partial void LogFirstSeen(string source, string type, Exception exception);
}
