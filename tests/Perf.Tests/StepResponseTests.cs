using System.Text.Json;
using Edge.Perf.Reports;
using Edge.Perf.Runs;
using Edge.Server.Auth;
using Edge.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Perf.Tests;

/// <summary>The step response (<c>run --step</c>): from idle to the offered rate, read in short intervals.</summary>
public sealed class StepResponseTests
{
    [Test]
    public void Recovery_is_the_end_of_the_last_interval_over_the_target()
    {
        List<IntervalSample> intervals =
        [
            new(0.1, 10, 10, 30, 40),
            new(0.2, 10, 10, 5, 6),
            new(0.3, 0, 10, double.NaN, double.NaN),
            new(0.4, 10, 10, 1, 2),
            new(0.5, 10, 10, 1, 2),
        ];
        Assert.That(StepResponse.RecoverySeconds(intervals, p99TargetMs: 20), Is.EqualTo(0.3), "an interval with none of the due deliveries counts as over");
        Assert.That(StepResponse.RecoverySeconds(intervals[3..], p99TargetMs: 20), Is.Zero, "never over");
        Assert.That(StepResponse.RecoverySeconds([.. intervals, new(0.6, 0, 0, double.NaN, double.NaN)], p99TargetMs: 20), Is.EqualTo(0.3), "an idle interval with nothing due is not over");
        Assert.That(StepResponse.RecoverySeconds([.. intervals, new(0.6, 10, 10, 25, 30)], p99TargetMs: 20), Is.NaN, "still over at the end");
    }

    [Test]
    public void Step_options_are_parsed_and_what_they_cannot_do_refused()
    {
        var existing = new[] { "run", "--url", "http://127.0.0.1:1", "--ingest", "127.0.0.1:2", "--secret", "x" };
        Assert.That(PerfOptions.Parse(existing).StepFromIdle, Is.False);
        var step = PerfOptions.Parse([.. existing, "--step", "--step-interval-ms", "50"]);
        Assert.That(step.StepFromIdle, Is.True);
        Assert.That(step.StepIntervalMs, Is.EqualTo(50));
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse([.. existing, "--step", "--step-interval-ms", "5"]));
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse(["idle", "--url", "http://127.0.0.1:1", "--secret", "x", "--step"]));
    }

    [Test]
    public async Task A_step_from_idle_records_every_interval_and_reports_the_first_seconds_apart()
    {
        var secret = DevTokenIssuer.GenerateSecret();
        var edgeOptions = PerfEdgeOptions.For(secret);
        var output = Path.Combine(Path.GetTempPath(), "edge-perf-step-" + Guid.NewGuid().ToString("N"));
        await using var host = new EdgeHost(edgeOptions, NullLoggerFactory.Instance);
        await host.StartAsync();
        try
        {
            var options = PerfOptions.Parse(
            [
                "run", "--url", $"http://127.0.0.1:{host.Server.LocalEndPoint!.Port}", "--ingest", host.IngestEndPoint.ToString(), "--secret", secret,
                "--connections", "10", "--symbols", "20", "--symbols-per-connection", "4", "--rates", "100,300", "--ramp-up", "0.5",
                "--duration", "3", "--source-addresses", "2", "--step", "--step-interval-ms", "200", "--p99-target-ms", "1000",
                "--out", output, "--no-progress",
            ]);
            using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(120));

            var report = await CapacityRun.ExecuteAsync(options, TextWriter.Null, cancellation.Token);

            Assert.That(report.Steps, Has.Count.EqualTo(2));
            foreach (var step in report.Steps)
            {
                Assert.Multiple(() =>
                {
                    Assert.That(step.FromIdle, Is.True);
                    Assert.That(step.Intervals, Has.Count.InRange(10, 16), "3 s in 200 ms intervals, however late the timer fires");
                    Assert.That(step.Intervals.Sum(i => i.Delivered), Is.GreaterThan(0).And.LessThanOrEqualTo(step.Delivered));
                    Assert.That(step.FirstSeconds.TotalCount + step.AfterFirstSeconds.TotalCount, Is.LessThanOrEqualTo(step.Latency.TotalCount));
                    Assert.That(step.FirstSeconds.TotalCount, Is.GreaterThan(0), "the first seconds after the jump are measured, not warmed up");
                    Assert.That(step.AfterFirstSeconds.TotalCount, Is.GreaterThan(0));
                    Assert.That(step.Gaps + step.OutOfOrder + step.Unexpected, Is.Zero);
                });
                for (var i = 1; i < step.Intervals.Count; i++)
                {
                    Assert.That(step.Intervals[i].EndSeconds, Is.GreaterThan(step.Intervals[i - 1].EndSeconds));
                }
            }

            Assert.That(report.FinalsMissing, Is.Zero);
            var markdown = await File.ReadAllTextAsync(Path.Combine(output, "report.md"));
            Assert.That(markdown, Does.Contain("## Step response: from idle to the offered rate"));
            Assert.That(markdown, Does.Contain("| 300 | Edge |"));
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "report.json")));
            var response = json.RootElement.GetProperty("steps")[1].GetProperty("stepResponse");
            Assert.That(response.GetProperty("intervals").GetArrayLength(), Is.EqualTo(report.Steps[1].Intervals.Count));
            Assert.That(response.GetProperty("firstSecondsMs").GetProperty("count").GetInt64(), Is.EqualTo(report.Steps[1].FirstSeconds.TotalCount));
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }
}
