using System.Net;
using Edge.EndToEnd.Tests.Support;

namespace Edge.EndToEnd.Tests.Operations;

/// <summary>Who may read /metrics: a bearer token, and a separate listener that takes /metrics off the server port.</summary>
public sealed class MetricsAccessTests
{
    private const string MetricsToken = "scrape-0123456789abcdef";

    [Test]
    public async Task With_a_bearer_token_configured_metrics_is_401_without_it_and_200_with_it()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Metrics.BearerToken = MetricsToken);

        var none = await GetAsync(edge.EndPoint, "/metrics", token: null);
        var wrong = await GetAsync(edge.EndPoint, "/metrics", "scrape-0123456789abcdeX");
        var right = await GetAsync(edge.EndPoint, "/metrics", MetricsToken);
        var health = await GetAsync(edge.EndPoint, "/healthz", token: null);

        Assert.That(none.Status, Is.EqualTo(401));
        Assert.That(none.Headers["WWW-Authenticate"], Does.StartWith("Bearer"));
        Assert.That(none.Body, Does.Not.Contain("edge_connections_open"));
        Assert.That(wrong.Status, Is.EqualTo(401));
        Assert.That(right.Status, Is.EqualTo(200));
        Assert.That(right.Body, Does.Contain("edge_connections_open"));
        Assert.That(health.Status, Is.EqualTo(200), "probes need no token");
    }

    [Test]
    public async Task The_token_can_come_from_a_file()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, MetricsToken + "\n");
            await using var edge = await RunningEdge.StartAsync(o => o.Metrics.BearerTokenFile = file);

            var none = await GetAsync(edge.EndPoint, "/metrics", token: null);
            var right = await GetAsync(edge.EndPoint, "/metrics", MetricsToken);

            Assert.That((none.Status, right.Status), Is.EqualTo((401, 200)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task A_separate_metrics_listener_serves_metrics_and_health_and_the_server_port_refuses_metrics()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Metrics.Port = 0);
        var metricsEndPoint = edge.Host.MetricsServer!.LocalEndPoint!;

        var scraped = await GetAsync(metricsEndPoint, "/metrics", token: null);
        var healthz = await GetAsync(metricsEndPoint, "/healthz", token: null);
        var readyz = await GetAsync(metricsEndPoint, "/readyz", token: null);
        var noMarketData = await GetAsync(metricsEndPoint, "/market-data/stream?symbols=EUR/USD", token: null);
        var mainMetrics = await GetAsync(edge.EndPoint, "/metrics", token: null);
        var mainHealth = await GetAsync(edge.EndPoint, "/healthz", token: null);

        Assert.That(metricsEndPoint.Address, Is.EqualTo(IPAddress.Loopback), "127.0.0.1 by default");
        Assert.That(metricsEndPoint.Port, Is.Not.EqualTo(edge.EndPoint.Port));
        Assert.That(scraped.Status, Is.EqualTo(200));
        Assert.That(scraped.Body, Does.Contain("edge_connections_open"));
        Assert.That(healthz.Status, Is.EqualTo(200));
        Assert.That(readyz.Status, Is.AnyOf(200, 503));
        Assert.That(noMarketData.Status, Is.EqualTo(404), "the metrics listener serves operators only");
        Assert.That(mainMetrics.Status, Is.EqualTo(404), "the server port no longer exposes /metrics");
        Assert.That(mainMetrics.Body, Does.Not.Contain("edge_connections_open"));
        Assert.That(mainHealth.Status, Is.EqualTo(200));
    }

    [Test]
    public async Task A_separate_listener_with_a_token_wants_the_token_there()
    {
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.Metrics.Port = 0;
            o.Metrics.BearerToken = MetricsToken;
        });
        var metricsEndPoint = edge.Host.MetricsServer!.LocalEndPoint!;

        var none = await GetAsync(metricsEndPoint, "/metrics", token: null);
        var right = await GetAsync(metricsEndPoint, "/metrics", MetricsToken);

        Assert.That((none.Status, right.Status), Is.EqualTo((401, 200)));
    }

    private static async Task<RawHttpResponse> GetAsync(IPEndPoint endPoint, string path, string? token)
    {
        using var http = await RawHttp.ConnectAsync(endPoint);
        var authorization = token is null ? string.Empty : $"Authorization: Bearer {token}\r\n";
        await http.SendAsync($"GET {path} HTTP/1.1\r\nHost: localhost\r\n{authorization}Connection: close\r\n\r\n");
        return await http.ReadResponseAsync();
    }
}
