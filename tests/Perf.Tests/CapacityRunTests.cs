using System.Net;
using System.Text.Json;
using System.Xml;
using Edge.Server.Auth;
using Edge.Server.Hosting;
using HdrHistogram;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Perf.Tests;

/// <summary>The tool's whole run path against a real Edge (in this process, real sockets and UDP on loopback).</summary>
public sealed class CapacityRunTests
{
    [TestCase("blocking")]
    [TestCase("spin")]
    public async Task A_short_run_delivers_every_update_without_gaps_and_writes_a_sane_report(string clientWait)
    {
        var secret = DevTokenIssuer.GenerateSecret();
        var edgeOptions = PerfEdgeOptions.For(secret);
        Assert.That(edgeOptions.Validate(), Is.Empty);
        var output = Path.Combine(Path.GetTempPath(), "edge-perf-test-" + Guid.NewGuid().ToString("N"));
        await using var host = new EdgeHost(edgeOptions, NullLoggerFactory.Instance);
        await host.StartAsync();
        try
        {
            string[] target = ["--url", $"http://127.0.0.1:{host.Server.LocalEndPoint!.Port}", "--ingest", host.IngestEndPoint.ToString(), "--secret", secret, "--client-wait", clientWait];

            var report = await ShortPerfRun.ExecuteAsync(target, output, TimeSpan.FromSeconds(60));

            Assert.That(report.ConnectionsSubscribed, Is.EqualTo(20), "every connection was upgraded and subscribed");
            Assert.That(report.HandshakesFailed + report.ConnectFailures + report.SubscribeErrors, Is.Zero);
            var step = report.Steps.Single();
            Assert.Multiple(() =>
            {
                Assert.That(step.Published, Is.GreaterThan(0));
                Assert.That(step.Delivered, Is.GreaterThan(0));
                Assert.That(step.Gaps, Is.Zero, "no sequence skipped at 200 updates/s");
                Assert.That(step.OutOfOrder, Is.Zero);
                Assert.That(step.Unexpected, Is.Zero, "every message parsed and was for a subscribed symbol");
                Assert.That(report.FinalsMissing, Is.Zero, "each subscription ended on the last published price");
                Assert.That(report.FinalsChecked, Is.EqualTo(100));
            });

            // The histogram: one value per delivered price, ordered percentiles, nothing negative or absurd.
            var latency = step.Latency;
            Assert.That(latency.TotalCount, Is.GreaterThan(0));
            var p50 = latency.GetValueAtPercentile(50);
            var p99 = latency.GetValueAtPercentile(99);
            Assert.That(latency.GetValueAtPercentile(0), Is.GreaterThan(0));
            Assert.That(p50, Is.LessThanOrEqualTo(p99));
            Assert.That(p99, Is.LessThanOrEqualTo(latency.GetMaxValue()));
            Assert.That(latency.GetMaxValue(), Is.LessThan(30_000_000_000L), "latencies are ns from the feed's timestamp, not garbage");

            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "report.json")));
            var first = json.RootElement.GetProperty("steps")[0];
            Assert.That(first.GetProperty("delivered").GetInt64(), Is.EqualTo(step.Delivered));
            Assert.That(first.GetProperty("latencyMs").GetProperty("count").GetInt64(), Is.EqualTo(latency.TotalCount));
            Assert.That(json.RootElement.GetProperty("settings").GetProperty("client wait").GetString(), Does.StartWith(clientWait + " "));
            Assert.That(await File.ReadAllTextAsync(Path.Combine(output, "report.md")), Does.Contain("| 200 |"));
            var svg = new XmlDocument();
            svg.Load(Path.Combine(output, "latency.svg"));
            Assert.That(svg.DocumentElement!.Name, Is.EqualTo("svg"));
            Assert.That(svg.GetElementsByTagName("path"), Has.Count.EqualTo(1), "one latency curve");
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    [Test]
    public void Client_wait_and_edge_settings_are_parsed_and_bad_values_refused()
    {
        var existing = new[] { "run", "--url", "http://127.0.0.1:1", "--ingest", "127.0.0.1:2", "--secret", "x" };
        Assert.That(PerfOptions.Parse(existing).ClientWait, Is.EqualTo(Clients.ClientWait.Blocking), "blocking by default");
        Assert.That(PerfOptions.Parse([.. existing, "--client-wait", "spin"]).ClientWait, Is.EqualTo(Clients.ClientWait.Spin));
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse([.. existing, "--client-wait", "sometimes"]));

        var edgeArgs = PerfOptions.Parse([.. existing, "--edge-arg", "Ingest:ReceiveWait=yielding", "--edge-arg", "FanOut:RingWaitStrategy=yielding"]);
        Assert.That(edgeArgs.EdgeArguments, Is.EqualTo(new[] { "--Ingest:ReceiveWait", "yielding", "--FanOut:RingWaitStrategy", "yielding" }));
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse([.. existing, "--edge-arg", "Ingest:ReceiveWait"]));
    }

    [Test]
    public void An_existing_edge_needs_its_ingest_endpoint() =>
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse(["run", "--url", "http://127.0.0.1:1", "--secret", "x"]));

    [Test]
    public void Connection_lists_set_idle_steps_and_the_largest_count()
    {
        var options = PerfOptions.Parse(["idle", "--url", "http://127.0.0.1:1", "--ingest", new IPEndPoint(IPAddress.Loopback, 2).ToString(), "--connections", "10,100,1_000"]);
        Assert.That(options.ConnectionSteps, Is.EqualTo(new[] { 10, 100, 1000 }));
        Assert.That(options.Connections, Is.EqualTo(1000));
        Assert.That(options.SymbolsPerConnection, Is.Zero, "idle connections subscribe to nothing unless told");
    }
}
