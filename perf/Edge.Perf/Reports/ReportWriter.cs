using System.Globalization;
using System.Text;
using System.Text.Json;
using HdrHistogram;

namespace Edge.Perf.Reports;

/// <summary>Writes report.md, report.json and latency.svg (the percentile plot) into a directory.</summary>
internal static class ReportWriter
{
    private static readonly double[] Percentiles = [50, 90, 99, 99.9, 99.99];

    private static readonly double[] ComparedPercentiles = [50, 90, 99, 99.9];

    public static void Write(PerfReport report, string directory)
    {
        File.WriteAllText(Path.Combine(directory, "report.md"), Markdown(report));
        File.WriteAllText(Path.Combine(directory, "report.json"), Json(report));
        var series = new List<LatencySeries>();
        var reference = report.Reference;
        for (var i = 0; i < report.Steps.Count; i++)
        {
            var step = report.Steps[i];
            series.Add(new(reference is null && report.Target == PerfReport.EdgeName ? $"{step.Rate:N0} updates/s" : $"{report.Target} {step.Rate:N0}/s", step.Latency, i, Dashed: false));
            if (reference?.Steps.Find(r => r.Rate == step.Rate) is { } match)
            {
                // The same colour per rate, the reference dashed.
                series.Add(new($"{reference.Target} {match.Rate:N0}/s", match.Latency, i, Dashed: true));
            }

            foreach (var compared in report.Compared)
            {
                if (compared.Steps.Find(r => r.Rate == step.Rate) is { } other)
                {
                    series.Add(new($"{compared.Target} {other.Rate:N0}/s", other.Latency, i, Dashed: true));
                }
            }
        }

        if (series.Count == 0 && report.HandshakeTimes.TotalCount > 0)
        {
            series.Add(new("handshake", report.HandshakeTimes, 0, Dashed: false));
        }

        var who = reference is not null ? $"{report.Target} (solid) and {(reference.Target == PerfReport.ReferenceName ? "the reference server" : reference.Target)} (dashed)"
            : report.Compared.Count > 0 ? $"{report.Target} (solid), {string.Join(", ", report.Compared.Select(r => r.Target))} (dashed)"
            : report.Target;
        var title = report.Steps.Count > 0 ? $"{who} {report.Command}: publish → client latency by percentile" : $"{report.Target}: connect → handshake response by percentile";
        File.WriteAllText(Path.Combine(directory, "latency.svg"), LatencyPlot.Svg(title, series));
    }

    public static string Markdown(PerfReport report)
    {
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.Append(c, $"# edge-perf {report.Command} — {report.StartedUtc:yyyy-MM-dd HH:mm:ss} UTC\n\n");
        md.Append("| setting | value |\n|---|---|\n");
        foreach (var (key, value) in report.Settings)
        {
            md.Append(c, $"| {key} | `{value}` |\n");
        }

        foreach (var (key, value) in report.Machine)
        {
            md.Append(c, $"| {key} | {value} |\n");
        }

        md.Append(c, $"| load average at end | {LoadAverage()} |\n");
        if (report.Reference is { } reference)
        {
            Comparison(md, report, reference);
            Body(md, report, " — " + report.Target);
            Body(md, reference, reference.Target == PerfReport.ReferenceName ? " — the reference server" : " — " + reference.Target);
        }
        else if (report.Compared.Count > 0)
        {
            SideBySide(md, report);
            Body(md, report, " — " + report.Target);
            foreach (var compared in report.Compared)
            {
                Body(md, compared, " — " + compared.Target);
            }
        }
        else
        {
            Body(md, report, string.Empty);
        }

        StepResponseTable(md, report);
        foreach (var note in AllNotes(report))
        {
            md.Append(c, $"\n> {note}\n");
        }

        return md.ToString();
    }

    /// <summary>
    /// A TLS comparison: each rate, each way of reaching Edge measured in the run, one row each. The server CPU of
    /// the HAProxy row is HAProxy's plus Edge's (both pinned to the same core).
    /// </summary>
    private static void SideBySide(StringBuilder md, PerfReport report)
    {
        var c = CultureInfo.InvariantCulture;
        md.Append("\n## Side by side\n\n");
        md.Append("| offered updates/s | target | delivered/s | p50 (ms) | p90 (ms) | p99 (ms) | p99.9 (ms) | server CPU | CPU per delivery (µs) | tool CPU | gaps | RSS end (MB) |\n");
        md.Append("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var step in report.Steps)
        {
            foreach (var target in Targets(report, withReference: false))
            {
                if (target.Steps.Find(s => s.Rate == step.Rate) is not { } s)
                {
                    continue;
                }

                md.Append(c, $"| {s.Rate:N0} | {target.Target} | {s.DeliveredPerSecond:N0} |");
                PercentileCells(md, s, ComparedPercentiles);

                md.Append(c, $" {s.EdgeCpuShare:P0} | {s.EdgeMicrosPerDelivery:F2} | {s.ToolCpuShare:P0} | {s.Gaps:N0} | {s.EdgeRssEnd / 1048576.0:F1} |\n");
            }
        }

        md.Append("\nEach target is its own server process(es) pinned alike; the rates run against each in turn on the same connections' pattern. Server CPU is the share of one core; for HAProxy it is HAProxy's plus Edge's.\n");
    }

    /// <summary>
    /// Steps from idle (<c>--step</c>): per rate and target, the p99 of the first seconds after the jump and of the
    /// rest, and how long until every later interval's p99 stayed under the target; with the reference, the ratios.
    /// </summary>
    private static void StepResponseTable(StringBuilder md, PerfReport report)
    {
        if (!report.Steps.Exists(s => s.FromIdle))
        {
            return;
        }

        var c = CultureInfo.InvariantCulture;
        var all = Targets(report, withReference: true);
        md.Append(c, $"\n## Step response: from idle to the offered rate\n\n");
        md.Append(c, $"| offered updates/s | target | p99 first {StepResponse.SettleSeconds:F0} s (ms) | p99 after (ms) | p99 whole window (ms) | max (ms) | back under target after (s) | delivered |\n");
        md.Append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var step in report.Steps)
        {
            foreach (var target in all)
            {
                if (target.Steps.Find(s => s.Rate == step.Rate && s.FromIdle) is not { } s)
                {
                    continue;
                }

                var recovery = double.IsNaN(s.RecoverySeconds) ? "not within the window" : s.RecoverySeconds.ToString("F1", c);
                md.Append(c, $"| {s.Rate:N0} | {target.Target} | {StepResult.PercentileMs(s.FirstSeconds, 99):F3} | {StepResult.PercentileMs(s.AfterFirstSeconds, 99):F3} | {s.PercentileMs(99):F3} | {s.MaxMs:F3} | {recovery} | {s.DeliveredRatio:P2} |\n");
            }

            if (report.Reference?.Steps.Find(r => r.Rate == step.Rate && r.FromIdle) is { } r)
            {
                md.Append(c, $"| {step.Rate:N0} | **ratio Edge / reference** | **{Ratio(StepResult.PercentileMs(step.FirstSeconds, 99), StepResult.PercentileMs(r.FirstSeconds, 99)):F2}×** | **{Ratio(StepResult.PercentileMs(step.AfterFirstSeconds, 99), StepResult.PercentileMs(r.AfterFirstSeconds, 99)):F2}×** | **{Ratio(step.PercentileMs(99), r.PercentileMs(99)):F2}×** | | | |\n");
            }
        }

        md.Append("\nEach step starts from an idle server (the feed stopped, everything owed delivered, 1 s quiet) with no warm-up. \"Back under target after\": the end of the last short interval (--step-interval-ms) whose p99 exceeded the target (--p99-target-ms; an interval with no deliveries while some were due counts as over); report.json has every interval.\n");
    }

    /// <summary>The report's own target, then the ones compared with it, then (when asked) the reference: a table's rows per rate.</summary>
    private static List<PerfReport> Targets(PerfReport report, bool withReference)
    {
        var all = new List<PerfReport> { report };
        all.AddRange(report.Compared);
        if (withReference && report.Reference is { } reference)
        {
            all.Add(reference);
        }

        return all;
    }

    private static IEnumerable<string> AllNotes(PerfReport report)
    {
        var notes = report.Notes.Concat(report.Reference?.Notes ?? []);
        foreach (var compared in report.Compared)
        {
            notes = notes.Concat(compared.Notes);
        }

        return notes;
    }

    /// <summary>
    /// Edge against the reference server at each rate both ran: Edge / reference for the latency percentiles, the CPU
    /// per delivery and the RSS at the end of the step (below 1: Edge does better), with both values in brackets.
    /// </summary>
    private static void Comparison(StringBuilder md, PerfReport edge, PerfReport reference)
    {
        var c = CultureInfo.InvariantCulture;
        var node = reference.Target == PerfReport.SocketIoNodeName;
        md.Append(c, $"\n## {edge.Target} against {(node ? reference.Target : "the reference server")} (ratio {edge.Target} / reference, then both values)\n\n");
        md.Append("| offered updates/s | delivered/s Edge / ref | p50 Edge/ref (ms) | p90 Edge/ref (ms) | p99 Edge/ref (ms) | p99.9 Edge/ref (ms) | CPU per delivery Edge/ref (µs) | RSS Edge/ref (MB) |\n");
        md.Append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        foreach (var pair in Pairs(edge, reference))
        {
            var (e, r) = pair;
            md.Append(c, $"| {e.Rate:N0} | {e.DeliveredPerSecond:N0} / {r.DeliveredPerSecond:N0} |");
            foreach (var p in ComparedPercentiles)
            {
                md.Append(' ').Append(RatioCell(e.PercentileMs(p), r.PercentileMs(p), "F3")).Append(" |");
            }

            md.Append(' ').Append(RatioCell(e.EdgeMicrosPerDelivery, r.EdgeMicrosPerDelivery, "F2")).Append(" |");
            md.Append(' ').Append(RatioCell(e.EdgeRssEnd / 1048576.0, r.EdgeRssEnd / 1048576.0, "F1")).Append(" |\n");
        }

        md.Append(node
            ? "\nThe original stack (perf/socketio-reference): socket.io 4 on Node, namespace /market-data, one room per symbol, `nsp.to(symbol).emit('price', …)` per update in the original shape; no JWT validation, limits or snapshots. Both sides speak socket.io over WebSocket to the same clients. Its feed is plain UDP where Edge's is Aeron.\n"
            : "\nThe reference server (perf/reference-server) is one C thread with one epoll loop: plain UDP in, the same MessagePack price frame encoded once, one send per connection per wake. Its feed is plain UDP where Edge's is Aeron.\n");
    }

    /// <summary>The steps of both reports at the same rate, in Edge's order.</summary>
    public static List<(StepResult Edge, StepResult Reference)> Pairs(PerfReport edge, PerfReport reference)
    {
        var pairs = new List<(StepResult, StepResult)>();
        foreach (var e in edge.Steps)
        {
            if (reference.Steps.Find(r => r.Rate == e.Rate) is { } r)
            {
                pairs.Add((e, r));
            }
        }

        return pairs;
    }

    public static double Ratio(double edge, double reference) => reference > 0 && double.IsFinite(edge) && double.IsFinite(reference) ? edge / reference : double.NaN;

    private static string RatioCell(double edge, double reference, string format)
    {
        var c = CultureInfo.InvariantCulture;
        var ratio = Ratio(edge, reference);
        var ratioText = double.IsFinite(ratio) ? ratio.ToString("F2", c) + "×" : "-";
        return $"**{ratioText}** ({edge.ToString(format, c)} / {reference.ToString(format, c)})";
    }

    private static void Body(StringBuilder md, PerfReport report, string suffix)
    {
        var c = CultureInfo.InvariantCulture;
        var who = report.Target;
        md.Append(c, $"\n## Connections{suffix}\n\n{report.ConnectionsSubscribed:N0} of {report.ConnectionsWanted:N0} ready; handshakes {report.HandshakesOk:N0} ok, {report.HandshakesFailed:N0} failed, {report.ConnectFailures:N0} connect failures");
        if (report.FirstConnectError is not null)
        {
            md.Append(c, $" (first: {report.FirstConnectError})");
        }

        md.Append(c, $"; subscribe acks with errors {report.SubscribeErrors:N0}; ramp {report.RampSeconds:F1} s, {report.HandshakesPerSecond:N0} handshakes/s");
        if (report.HandshakeTimes.TotalCount > 0)
        {
            md.Append(c, $"; connect → response p50 {report.HandshakeTimes.GetValueAtPercentile(50) / 1e6:F2} ms, p99 {report.HandshakeTimes.GetValueAtPercentile(99) / 1e6:F2} ms");
        }

        md.Append(".\n");
        if (report.Steps.Count > 0)
        {
            md.Append(c, $"\n## Throughput and latency{suffix}\n\n");
            md.Append(c, $"| offered updates/s | published/s | expected deliveries/s | delivered/s | delivered | p50 ms | p90 ms | p99 ms | p99.9 ms | p99.99 ms | max ms | gaps | {who} CPU | {who} µs/delivery | {who} RSS MB | tool CPU |");
            md.Append(report.Command == "sweep" ? " sustained |\n" : "\n");
            md.Append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            md.Append(report.Command == "sweep" ? "---|\n" : "\n");
            foreach (var s in report.Steps)
            {
                md.Append(c, $"| {s.Rate:N0} | {s.PublishedPerSecond:N0} | {s.ExpectedPerSecond:N0} | {s.DeliveredPerSecond:N0} | {s.DeliveredRatio:P2} |");
                PercentileCells(md, s, Percentiles);

                md.Append(c, $" {s.MaxMs:F3} | {s.Gaps:N0} | {s.EdgeCpuShare:P0} | {s.EdgeMicrosPerDelivery:F2} | {s.EdgeRssEnd / 1048576.0:F0} | {s.ToolCpuShare:P0} |");
                md.Append(report.Command == "sweep" ? (s.Sustained == true ? " yes |\n" : " no |\n") : "\n");
            }

            if (report.SustainedRate is { } sustained)
            {
                md.Append(c, $"\nHighest rate sustained (p99 under target, deliveries ≥ target share of expected): **{sustained:N0} updates/s**, {report.Steps.Find(x => x.Rate == sustained)?.DeliveredPerSecond:N0} deliveries/s.\n");
            }
            else if (report.Command == "sweep")
            {
                md.Append("\nNo step was sustained.\n");
            }

            md.Append(c, $"\n## Per step: integrity and {who}'s /metrics (differences over the window){suffix}\n\n| | ");
            md.AppendJoin(" | ", report.Steps.Select(s => s.Rate.ToString("N0", c) + "/s"));
            md.Append(" |\n|---|");
            md.AppendJoin(string.Empty, report.Steps.Select(_ => "---:|"));
            md.Append('\n');
            Row(md, "seconds", report.Steps, s => s.Seconds.ToString("F1", c));
            Row(md, "published", report.Steps, s => s.Published.ToString("N0", c));
            Row(md, "feed dropped / back-pressured", report.Steps, s => string.Create(c, $"{s.FeedDropped:N0} / {s.FeedBackPressured:N0}"));
            Row(md, "expected deliveries", report.Steps, s => s.Expected.ToString("N0", c));
            Row(md, "delivered", report.Steps, s => s.Delivered.ToString("N0", c));
            Row(md, "sequence gaps (events)", report.Steps, s => string.Create(c, $"{s.Gaps:N0} ({s.GapEvents:N0})"));
            Row(md, "out of order / unexpected / closed", report.Steps, s => string.Create(c, $"{s.OutOfOrder:N0} / {s.Unexpected:N0} / {s.Closed:N0}"));
            Row(md, who + " CPU s / tool CPU s", report.Steps, s => string.Create(c, $"{s.EdgeCpuSeconds:F2} / {s.ToolCpuSeconds:F2}"));
            if (!PerfReport.IsReferenceTarget(report.Target))
            {
                Row(md, "inside Edge, decode → corked (edge_ingest_to_fanout_seconds): p50 ≤ / p99 ≤ / mean, ms", report.Steps, s => string.Create(c, $"{s.EdgeInternalP50Ms:G3} / {s.EdgeInternalP99Ms:G3} / {s.EdgeInternalMeanMs:F3}"));
            }

            foreach (var family in report.Steps[0].MetricDeltas.Keys)
            {
                Row(md, "Δ " + family, report.Steps, s => s.MetricDeltas[family].ToString("N0", c));
            }

            foreach (var family in report.Steps[0].MetricsAtEnd.Keys)
            {
                Row(md, family + " (end)", report.Steps, s => s.MetricsAtEnd[family].ToString("N0", c));
            }

            if (report.FinalsMissing >= 0)
            {
                md.Append(c, $"\nAfter the feed stopped: {report.FinalsMissing:N0} of {report.FinalsChecked:N0} subscriptions did not end on the last published sequence.\n");
            }

            if (suffix.Length == 0 || report.Reference is not null || report.Compared.Count > 0)
            {
                md.Append("\n![latency by percentile](latency.svg)\n");
            }
        }

        if (report.IdleLevels.Count > 0)
        {
            md.Append("\n## Idle connections\n\n| connections | open | Edge RSS MB | RSS per connection | managed heap MB | managed per connection | connect time s |\n|---:|---:|---:|---:|---:|---:|---:|\n");
            foreach (var l in report.IdleLevels)
            {
                md.Append(c, $"| {l.Connections:N0} | {l.Open:N0} | {l.RssBytes / 1048576.0:F1} | {Bytes(l.RssPerConnection)} | {l.ManagedBytes / 1048576.0:F1} | {Bytes(l.ManagedPerConnection)} | {l.ConnectSeconds:F1} |\n");
            }

            md.Append("\nManaged heap is Edge's `dotnet_gc_heap_bytes` (GC.GetTotalMemory(false): live objects plus garbage not yet collected), so per-connection figures carry some noise.\n");
        }
    }

    /// <summary>One table cell per percentile of the step's latency, in ms.</summary>
    private static void PercentileCells(StringBuilder md, StepResult step, double[] percentiles)
    {
        foreach (var p in percentiles)
        {
            md.Append(CultureInfo.InvariantCulture, $" {step.PercentileMs(p):F3} |");
        }
    }

    private static void Row(StringBuilder md, string name, List<StepResult> steps, Func<StepResult, string> cell)
    {
        md.Append("| ").Append(name).Append(" | ");
        md.AppendJoin(" | ", steps.Select(cell));
        md.Append(" |\n");
    }

    public static string Json(PerfReport report)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("command", report.Command);
            json.WriteString("startedUtc", report.StartedUtc);
            json.WriteStartObject("settings");
            foreach (var (key, value) in report.Settings.Concat(report.Machine))
            {
                json.WriteString(key, value);
            }

            json.WriteString("load average at end", LoadAverage());
            json.WriteEndObject();
            json.WriteString("target", report.Target);
            WriteBody(json, report);
            if (report.Reference is { } reference)
            {
                json.WritePropertyName("reference");
                WriteTarget(json, reference);
                json.WriteStartArray("comparison");
                foreach (var (e, r) in Pairs(report, reference))
                {
                    json.WriteStartObject();
                    json.WriteNumber("offeredRate", e.Rate);
                    foreach (var p in ComparedPercentiles)
                    {
                        Number(json, "p" + p.ToString(CultureInfo.InvariantCulture) + "Ratio", Ratio(e.PercentileMs(p), r.PercentileMs(p)));
                    }

                    Number(json, "cpuPerDeliveryRatio", Ratio(e.EdgeMicrosPerDelivery, r.EdgeMicrosPerDelivery));
                    Number(json, "rssRatio", Ratio(e.EdgeRssEnd, r.EdgeRssEnd));
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            if (report.Compared.Count > 0)
            {
                json.WriteStartArray("compared");
                foreach (var compared in report.Compared)
                {
                    WriteTarget(json, compared);
                }

                json.WriteEndArray();
            }

            json.WriteStartArray("notes");
            foreach (var note in AllNotes(report))
            {
                json.WriteStringValue(note);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Another target of the run (the reference or a compared one) as an object: its name, then its body.</summary>
    private static void WriteTarget(Utf8JsonWriter json, PerfReport target)
    {
        json.WriteStartObject();
        json.WriteString("target", target.Target);
        WriteBody(json, target);
        json.WriteEndObject();
    }

    /// <summary>Connections, steps, finals and idle levels of one target (the figure names stay "edge…" for both, as before).</summary>
    private static void WriteBody(Utf8JsonWriter json, PerfReport report)
    {
        json.WriteStartObject("connections");
        json.WriteNumber("wanted", report.ConnectionsWanted);
        json.WriteNumber("ready", report.ConnectionsSubscribed);
        json.WriteNumber("handshakesOk", report.HandshakesOk);
        json.WriteNumber("handshakesFailed", report.HandshakesFailed);
        json.WriteNumber("connectFailures", report.ConnectFailures);
        json.WriteNumber("subscribeErrors", report.SubscribeErrors);
        json.WriteNumber("rampSeconds", report.RampSeconds);
        json.WriteNumber("handshakesPerSecond", report.HandshakesPerSecond);
        WriteLatency(json, "handshakeMs", report.HandshakeTimes);
        json.WriteEndObject();
        json.WriteStartArray("steps");
        foreach (var s in report.Steps)
        {
            json.WriteStartObject();
            json.WriteNumber("offeredRate", s.Rate);
            json.WriteNumber("seconds", s.Seconds);
            json.WriteNumber("published", s.Published);
            json.WriteNumber("publishedPerSecond", s.PublishedPerSecond);
            json.WriteNumber("feedDropped", s.FeedDropped);
            json.WriteNumber("feedBackPressured", s.FeedBackPressured);
            json.WriteNumber("expected", s.Expected);
            json.WriteNumber("delivered", s.Delivered);
            json.WriteNumber("deliveredPerSecond", s.DeliveredPerSecond);
            Number(json, "deliveredRatio", s.DeliveredRatio);
            json.WriteNumber("gaps", s.Gaps);
            json.WriteNumber("gapEvents", s.GapEvents);
            json.WriteNumber("outOfOrder", s.OutOfOrder);
            json.WriteNumber("unexpected", s.Unexpected);
            json.WriteNumber("closed", s.Closed);
            Number(json, "edgeCpuSeconds", s.EdgeCpuSeconds);
            Number(json, "edgeMicrosPerDelivery", s.EdgeMicrosPerDelivery);
            json.WriteNumber("edgeRssBytesStart", s.EdgeRssStart);
            json.WriteNumber("edgeRssBytesEnd", s.EdgeRssEnd);
            json.WriteNumber("toolCpuSeconds", s.ToolCpuSeconds);
            Number(json, "edgeInternalP50MsUpperBound", s.EdgeInternalP50Ms);
            Number(json, "edgeInternalP99MsUpperBound", s.EdgeInternalP99Ms);
            Number(json, "edgeInternalMeanMs", s.EdgeInternalMeanMs);
            if (s.Sustained is { } sustained)
            {
                json.WriteBoolean("sustained", sustained);
            }

            if (s.FromIdle)
            {
                WriteStepResponse(json, s);
            }

            WriteLatency(json, "latencyMs", s.Latency);
            WriteNumbers(json, "metricDeltas", s.MetricDeltas);
            WriteNumbers(json, "metricsAtEnd", s.MetricsAtEnd);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (report.SustainedRate is { } rate)
        {
            json.WriteNumber("sustainedRate", rate);
        }

        if (report.FinalsMissing >= 0)
        {
            json.WriteNumber("finalsMissing", report.FinalsMissing);
            json.WriteNumber("finalsChecked", report.FinalsChecked);
        }

        json.WriteStartArray("idle");
        foreach (var l in report.IdleLevels)
        {
            json.WriteStartObject();
            json.WriteNumber("connections", l.Connections);
            json.WriteNumber("open", l.Open);
            json.WriteNumber("rssBytes", l.RssBytes);
            Number(json, "managedBytes", l.ManagedBytes);
            Number(json, "rssPerConnection", l.RssPerConnection);
            Number(json, "managedPerConnection", l.ManagedPerConnection);
            json.WriteNumber("connectSeconds", l.ConnectSeconds);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteStepResponse(Utf8JsonWriter json, StepResult s)
    {
        json.WriteStartObject("stepResponse");
        Number(json, "recoverySeconds", s.RecoverySeconds);
        json.WriteNumber("settleSeconds", StepResponse.SettleSeconds);
        WriteLatency(json, "firstSecondsMs", s.FirstSeconds);
        WriteLatency(json, "afterFirstSecondsMs", s.AfterFirstSeconds);
        json.WriteStartArray("intervals");
        foreach (var i in s.Intervals)
        {
            json.WriteStartObject();
            json.WriteNumber("endSeconds", i.EndSeconds);
            json.WriteNumber("delivered", i.Delivered);
            json.WriteNumber("expected", i.Expected);
            Number(json, "p99Ms", i.P99Ms);
            Number(json, "maxMs", i.MaxMs);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteNumbers(Utf8JsonWriter json, string name, Dictionary<string, double> values)
    {
        json.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            Number(json, key, value);
        }

        json.WriteEndObject();
    }

    private static void WriteLatency(Utf8JsonWriter json, string name, LongHistogram histogram)
    {
        json.WriteStartObject(name);
        json.WriteNumber("count", histogram.TotalCount);
        if (histogram.TotalCount > 0)
        {
            foreach (var p in Percentiles)
            {
                json.WriteNumber("p" + p.ToString(CultureInfo.InvariantCulture), histogram.GetValueAtPercentile(p) / 1e6);
            }

            json.WriteNumber("max", histogram.GetMaxValue() / 1e6);
            json.WriteNumber("mean", histogram.GetMean() / 1e6);
        }

        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Bytes(double value) => double.IsFinite(value) ? value.ToString("N0", CultureInfo.InvariantCulture) + " B" : "-";

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "?";
}
