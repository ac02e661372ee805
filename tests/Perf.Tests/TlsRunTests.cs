using Edge.Perf.Reports;
using Edge.Perf.Target;
using Edge.Server.Auth;
using Edge.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Perf.Tests;

/// <summary>
/// edge-perf's TLS modes over real sockets on loopback: WebSocket clients speaking TLS to an Edge with Tls:Enabled (in
/// this process), and to a real HAProxy the tool starts in front of a plain Edge.
/// </summary>
public sealed class TlsRunTests
{
    [Test]
    public async Task A_short_run_over_Edges_own_TLS_delivers_every_update_without_gaps()
    {
        var output = NewOutput();
        try
        {
            var certificate = SelfSignedCertificate.Create(Path.Combine(output, "server-tls"));
            var secret = DevTokenIssuer.GenerateSecret();
            var edgeOptions = PerfEdgeOptions.For(secret);
            edgeOptions.Tls.Enabled = true;
            edgeOptions.Tls.CertificatePath = certificate.CertificatePath;
            edgeOptions.Tls.KeyPath = certificate.KeyPath;
            Assert.That(edgeOptions.Validate(), Is.Empty);
            await using var host = new EdgeHost(edgeOptions, NullLoggerFactory.Instance);
            await host.StartAsync();
            var url = $"https://127.0.0.1:{host.Server.LocalEndPoint!.Port}";

            var report = await ShortPerfRun.ExecuteAsync(["--url", url, "--ingest", host.IngestEndPoint.ToString(), "--secret", secret, "--tls"], output, TimeSpan.FromSeconds(120));

            AssertDeliveredEverything(report, PerfReport.EdgeTlsName);
            // The clients really spoke TLS to Edge: one successful handshake each.
            using var http = LoopbackHttp.Create(TimeSpan.FromSeconds(10));
            var metrics = await EdgeMetrics.ScrapeAsync(http, new Uri(url));
            var handshakes = System.Text.RegularExpressions.Regex.Match(metrics.Text, "edge_tls_handshakes_total\\{result=\"ok\"\\} ([0-9]+)");
            Assert.That(handshakes.Success, Is.True, "Edge counts its TLS handshakes");
            Assert.That(int.Parse(handshakes.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(20), "the 20 clients' handshakes (plus the tool's /metrics connections)");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Test]
    public async Task A_short_run_through_HAProxy_terminating_TLS_delivers_every_update_and_stops_HAProxy()
    {
        if (HaproxyTerminatedEdge.Find() is null)
        {
            Assert.Ignore("haproxy is not installed (scripts/setup installs it): the HAProxy TLS terminator cannot be measured here");
        }

        var output = NewOutput();
        try
        {
            var secret = DevTokenIssuer.GenerateSecret();
            var edgeOptions = PerfEdgeOptions.For(secret);
            await using var host = new EdgeHost(edgeOptions, NullLoggerFactory.Instance);
            await host.StartAsync();
            var url = $"http://127.0.0.1:{host.Server.LocalEndPoint!.Port}";

            var report = await ShortPerfRun.ExecuteAsync(["--url", url, "--ingest", host.IngestEndPoint.ToString(), "--secret", secret, "--tls-terminator", "haproxy"], output, TimeSpan.FromSeconds(120));

            AssertDeliveredEverything(report, PerfReport.HaproxyTlsName);
            var described = report.Settings.Single(s => s.Key == PerfReport.HaproxyTlsName).Value;
            Assert.That(described, Does.StartWith("haproxy (pid "));
            var pid = int.Parse(described["haproxy (pid ".Length..described.IndexOf(',', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(Directory.Exists($"/proc/{pid}"), Is.False, "the run stopped the HAProxy it started");
            Assert.That(await File.ReadAllTextAsync(Path.Combine(output, "haproxy.cfg")), Does.Contain("ssl crt"));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Test]
    public void Tls_modes_are_parsed_and_wrong_combinations_refused()
    {
        var plain = new[] { "run", "--url", "http://127.0.0.1:1", "--ingest", "127.0.0.1:2", "--secret", "x" };
        var tls = new[] { "run", "--url", "https://127.0.0.1:1", "--ingest", "127.0.0.1:2", "--secret", "x" };
        Assert.That(PerfOptions.Parse(plain).EdgeModes, Is.EqualTo(new[] { EdgeTlsMode.Plain }));
        Assert.That(PerfOptions.Parse([.. tls, "--tls"]).EdgeModes, Is.EqualTo(new[] { EdgeTlsMode.Edge }));
        Assert.That(PerfOptions.Parse([.. plain, "--tls-terminator", "haproxy"]).EdgeModes, Is.EqualTo(new[] { EdgeTlsMode.Haproxy }));
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse([.. plain, "--tls"]), "Edge's own TLS needs an https:// Edge");
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse([.. tls, "--tls-terminator", "haproxy"]), "HAProxy fronts a plain Edge");
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse([.. plain, "--tls-compare"]), "one existing Edge cannot be three targets");
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse([.. plain, "--tls-terminator", "nginx"]));
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse([.. tls, "--tls", "--transport", "sse"]));
    }

    private static string NewOutput()
    {
        var output = Path.Combine(Path.GetTempPath(), "edge-perf-tls-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(output);
        return output;
    }

    private static void AssertDeliveredEverything(PerfReport report, string target)
    {
        Assert.That(report.Target, Is.EqualTo(target));
        Assert.That(report.ConnectionsSubscribed, Is.EqualTo(20), "every connection finished its TLS handshake, was upgraded and subscribed: " + string.Join("; ", report.Notes));
        Assert.That(report.HandshakesFailed + report.ConnectFailures + report.SubscribeErrors, Is.Zero);
        var step = report.Steps.Single();
        Assert.Multiple(() =>
        {
            Assert.That(step.Published, Is.GreaterThan(0));
            Assert.That(step.Delivered, Is.GreaterThan(0));
            Assert.That(step.Gaps, Is.Zero, "no sequence skipped at 200 updates/s over TLS");
            Assert.That(step.OutOfOrder, Is.Zero);
            Assert.That(step.Unexpected, Is.Zero, "every message decrypted, parsed and was for a subscribed symbol");
            Assert.That(report.FinalsMissing, Is.Zero, "each subscription ended on the last published price");
            Assert.That(report.FinalsChecked, Is.EqualTo(100));
        });
    }
}
