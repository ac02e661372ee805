using System.Text.Json;
using Edge.Perf.Feed;
using Edge.Perf.Reports;
using HdrHistogram;

namespace Edge.Perf.Tests;

/// <summary>The side-by-side report (Edge / reference ratios) from made-up steps, and the options that ask for it.</summary>
public sealed class SideBySideReportTests
{
    [Test]
    public void The_comparison_gives_edge_over_reference_for_latency_cpu_per_delivery_and_rss()
    {
        var edge = new PerfReport { Command = "run", Target = PerfReport.EdgeName };
        var reference = new PerfReport { Command = "run", Target = PerfReport.ReferenceName };
        edge.Reference = reference;
        edge.Steps.Add(Step(1000, latencyMs: 2, cpuSeconds: 1.0, rssMb: 100));
        edge.Steps.Add(Step(10_000, latencyMs: 8, cpuSeconds: 3.0, rssMb: 120));
        reference.Steps.Add(Step(1000, latencyMs: 1, cpuSeconds: 0.5, rssMb: 10));
        reference.Steps.Add(Step(10_000, latencyMs: 2, cpuSeconds: 1.0, rssMb: 12));

        var markdown = ReportWriter.Markdown(edge);

        Assert.That(markdown, Does.Contain("| offered updates/s | delivered/s Edge / ref | p50 Edge/ref (ms) | p90 Edge/ref (ms) | p99 Edge/ref (ms) | p99.9 Edge/ref (ms) | CPU per delivery Edge/ref (µs) | RSS Edge/ref (MB) |"));
        var row = markdown.Split('\n').Single(l => l.StartsWith("| 1,000 | 1,000 / 1,000 |", StringComparison.Ordinal));
        Assert.That(row, Does.Contain("**2.00×** (2.001 / 1.000)"), "p50: 2 ms against 1 ms (HdrHistogram's 3 digits)");
        Assert.That(row, Does.Contain("**2.00×** (1000.00 / 500.00)"), "CPU per delivery: 1 s and 0.5 s over 1000 deliveries");
        Assert.That(row, Does.Contain("**10.00×** (100.0 / 10.0)"), "RSS at the end of the step");
        var faster = markdown.Split('\n').Single(l => l.StartsWith("| 10,000 | 1,000 / 1,000 |", StringComparison.Ordinal));
        Assert.That(faster, Does.Contain("**4.00×**"));
        Assert.That(markdown, Does.Contain("## Throughput and latency — Edge"));
        Assert.That(markdown, Does.Contain("## Throughput and latency — the reference server"));
        Assert.That(markdown, Does.Contain("| reference CPU | reference µs/delivery | reference RSS MB |"));

        using var json = JsonDocument.Parse(ReportWriter.Json(edge));
        var first = json.RootElement.GetProperty("comparison")[0];
        Assert.That(first.GetProperty("offeredRate").GetDouble(), Is.EqualTo(1000));
        Assert.That(first.GetProperty("p50Ratio").GetDouble(), Is.EqualTo(2.0).Within(0.01));
        Assert.That(first.GetProperty("p99.9Ratio").GetDouble(), Is.EqualTo(2.0).Within(0.01));
        Assert.That(first.GetProperty("cpuPerDeliveryRatio").GetDouble(), Is.EqualTo(2.0).Within(1e-9));
        Assert.That(first.GetProperty("rssRatio").GetDouble(), Is.EqualTo(10.0).Within(1e-9));
        Assert.That(json.RootElement.GetProperty("reference").GetProperty("target").GetString(), Is.EqualTo("reference"));
    }

    [Test]
    public void A_tls_comparison_lists_every_target_per_rate_in_one_table_and_in_json()
    {
        var edge = new PerfReport { Command = "run", Target = PerfReport.EdgeName };
        var tls = new PerfReport { Command = "run", Target = PerfReport.EdgeTlsName };
        var haproxy = new PerfReport { Command = "run", Target = PerfReport.HaproxyTlsName };
        edge.Compared.Add(tls);
        edge.Compared.Add(haproxy);
        edge.Steps.Add(Step(1000, latencyMs: 1, cpuSeconds: 0.2, rssMb: 50));
        tls.Steps.Add(Step(1000, latencyMs: 2, cpuSeconds: 0.4, rssMb: 120));
        haproxy.Steps.Add(Step(1000, latencyMs: 3, cpuSeconds: 0.5, rssMb: 90));

        var markdown = ReportWriter.Markdown(edge);

        Assert.That(markdown, Does.Contain("## Side by side"));
        Assert.That(markdown, Does.Not.Contain("against the reference server"));
        var table = markdown[markdown.IndexOf("## Side by side", StringComparison.Ordinal)..markdown.IndexOf("## Connections", StringComparison.Ordinal)];
        var rows = table.Split('\n').Where(l => l.StartsWith("| 1,000 | ", StringComparison.Ordinal)).ToList();
        Assert.That(rows, Has.Count.EqualTo(3), "one row per target at the rate");
        Assert.That(rows[0], Does.StartWith("| 1,000 | Edge | 1,000 | 1.00"));
        Assert.That(rows[1], Does.StartWith("| 1,000 | Edge TLS | 1,000 | 2.00").And.Contain("| 400.00 |"), "CPU per delivery: 0.4 s over 1000");
        Assert.That(rows[2], Does.StartWith("| 1,000 | HAProxy TLS + Edge | 1,000 | 3.00").And.Contain("| 90.0 |"));
        Assert.That(markdown, Does.Contain("## Throughput and latency — Edge TLS"));
        Assert.That(markdown, Does.Contain("## Throughput and latency — HAProxy TLS + Edge"));

        using var json = JsonDocument.Parse(ReportWriter.Json(edge));
        var compared = json.RootElement.GetProperty("compared");
        Assert.That(compared.GetArrayLength(), Is.EqualTo(2));
        Assert.That(compared[1].GetProperty("target").GetString(), Is.EqualTo(PerfReport.HaproxyTlsName));
        Assert.That(compared[1].GetProperty("steps")[0].GetProperty("delivered").GetInt64(), Is.EqualTo(1000));
    }

    [Test]
    public void A_report_of_edge_alone_has_no_comparison()
    {
        var edge = new PerfReport { Command = "run" };
        edge.Steps.Add(Step(1000, latencyMs: 2, cpuSeconds: 1.0, rssMb: 100));

        Assert.That(ReportWriter.Markdown(edge), Does.Not.Contain("against the reference server"));
        Assert.That(ReportWriter.Markdown(edge), Does.Contain("| Edge CPU | Edge µs/delivery | Edge RSS MB |"));
        using var json = JsonDocument.Parse(ReportWriter.Json(edge));
        Assert.That(json.RootElement.TryGetProperty("comparison", out _), Is.False);
    }

    [Test]
    public void Reference_options_are_parsed_and_what_it_cannot_do_refused()
    {
        var existing = new[] { "run", "--url", "http://127.0.0.1:1", "--ingest", "127.0.0.1:2", "--secret", "x" };
        Assert.That(PerfOptions.Parse(existing).Targets, Is.EqualTo(PerfTargets.Edge), "Edge alone by default");
        Assert.That(PerfOptions.Parse([.. existing, "--against", "reference"]).Targets, Is.EqualTo(PerfTargets.Both));
        Assert.That(PerfOptions.Parse([.. existing, "--target", "both"]).Targets, Is.EqualTo(PerfTargets.Both));
        Assert.That(PerfOptions.Parse([.. existing, "--udp-batch", "message"]).UdpBatching, Is.EqualTo(UdpBatching.Message));
        Assert.That(PerfOptions.Parse(existing).UdpBatching, Is.EqualTo(UdpBatching.Tick));
        // The reference alone needs no Edge binary.
        Assert.That(PerfOptions.Parse(["run", "--target", "reference", "--edge", "/nonexistent/edge"]).Targets, Is.EqualTo(PerfTargets.Reference));
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse([.. existing, "--against", "kestrel"]));
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse([.. existing, "--target", "nginx"]));
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse([.. existing, "--udp-batch", "sometimes"]));
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse([.. existing, "--against", "reference", "--transport", "sse"]));
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse(["idle", "--url", "http://127.0.0.1:1", "--ingest", "127.0.0.1:2", "--against", "reference"]));
    }

    private static StepResult Step(double rate, double latencyMs, double cpuSeconds, double rssMb)
    {
        var latency = new LongHistogram(Clients.ClientLoop.HighestLatencyNs, 3);
        latency.RecordValueWithCount((long)(latencyMs * 1e6), 1000);
        return new StepResult
        {
            Rate = rate,
            Seconds = 1,
            Published = (long)rate,
            Expected = 1000,
            Delivered = 1000,
            EdgeCpuSeconds = cpuSeconds,
            EdgeRssEnd = (long)(rssMb * 1048576),
            Latency = latency,
        };
    }
}
