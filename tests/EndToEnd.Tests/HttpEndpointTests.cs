using Edge.EndToEnd.Tests.Support;

namespace Edge.EndToEnd.Tests;

public sealed class HttpEndpointTests
{
    [Test]
    public async Task Healthz_and_readyz_answer_200_with_json()
    {
        await using var edge = await RunningEdge.StartAsync();

        edge.Server.Health.SetFeedUp(true);
        var health = await RawHttp.GetAsync(edge.EndPoint, "/healthz");
        var ready = await RawHttp.GetAsync(edge.EndPoint, "/readyz");

        Assert.That(health.Status, Is.EqualTo(200));
        Assert.That(health.Headers["Content-Type"], Is.EqualTo("application/json"));
        Assert.That(health.Body, Is.EqualTo("{\"status\":\"ok\"}"));
        Assert.That(ready.Status, Is.EqualTo(200));
    }

    [Test]
    public async Task Readiness_needs_the_feed_and_turns_off_while_draining()
    {
        await using var edge = await RunningEdge.StartAsync();
        var noFeed = await RawHttp.GetAsync(edge.EndPoint, "/readyz");
        edge.Server.Health.SetFeedUp(true);
        var feedUp = await RawHttp.GetAsync(edge.EndPoint, "/readyz");
        edge.Server.Health.MarkDraining();
        var draining = await RawHttp.GetAsync(edge.EndPoint, "/readyz");

        Assert.That(noFeed.Status, Is.EqualTo(503), "no upstream publisher yet");
        Assert.That(feedUp.Status, Is.EqualTo(200));
        Assert.That(draining.Status, Is.EqualTo(503));
    }

    [Test]
    public async Task Unknown_paths_get_404_and_wrong_methods_405_on_a_kept_connection()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var client = await RawHttp.ConnectAsync(edge.EndPoint);

        await client.SendAsync("GET /nope HTTP/1.1\r\nHost: a\r\n\r\nDELETE /healthz HTTP/1.1\r\nHost: a\r\n\r\nGET /healthz HTTP/1.1\r\nHost: a\r\n\r\n");
        var notFound = await client.ReadResponseAsync();
        var notAllowed = await client.ReadResponseAsync();
        var health = await client.ReadResponseAsync();

        Assert.That(notFound.Status, Is.EqualTo(404));
        Assert.That(notAllowed.Status, Is.EqualTo(405));
        Assert.That(notAllowed.Headers["Allow"], Is.EqualTo("GET, HEAD"));
        Assert.That(health.Status, Is.EqualTo(200));
    }

    [Test]
    public async Task Garbage_gets_400_and_a_close_while_other_clients_carry_on()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var hostile = await RawHttp.ConnectAsync(edge.EndPoint);

        await hostile.SendAsync(new byte[] { 0x16, 0x03, 0x01, 0x00, 0xFF, (byte)'\r', (byte)'\n', (byte)'\r', (byte)'\n' });
        var refused = await hostile.ReadResponseAsync();
        var closed = await hostile.WaitForCloseAsync();
        var health = await RawHttp.GetAsync(edge.EndPoint, "/healthz");

        Assert.That(refused.Status, Is.EqualTo(400));
        Assert.That(refused.Body, Does.Contain("\"error\""));
        Assert.That(closed, Is.True, "the server closes a connection it refused");
        Assert.That(health.Status, Is.EqualTo(200));
    }

    [Test]
    public async Task Connection_close_is_honoured()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var client = await RawHttp.ConnectAsync(edge.EndPoint);

        await client.SendAsync("GET /healthz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        var response = await client.ReadResponseAsync();

        Assert.That(response.Headers["Connection"], Is.EqualTo("close"));
        Assert.That(await client.WaitForCloseAsync(), Is.True);
    }

    [Test]
    public async Task Metrics_are_served_as_prometheus_text_and_count_connections()
    {
        await using var edge = await RunningEdge.StartAsync();
        _ = await RawHttp.GetAsync(edge.EndPoint, "/healthz");

        var metrics = await RawHttp.GetAsync(edge.EndPoint, "/metrics");

        Assert.That(metrics.Status, Is.EqualTo(200));
        Assert.That(metrics.Headers["Content-Type"], Does.StartWith("text/plain; version=0.0.4"));
        Assert.That(metrics.Body, Does.Contain("# TYPE edge_connections_opened_total counter"));
        Assert.That(metrics.Body, Does.Match(@"edge_connections_opened_total [2-9]\n"), "the health check's connection and this one");
    }

    [Test]
    public async Task Metrics_say_where_the_memory_sits_in_the_heap_and_the_buffer_pool()
    {
        await using var edge = await RunningEdge.StartAsync();
        _ = await RawHttp.GetAsync(edge.EndPoint, "/healthz");
        GC.Collect();

        var body = (await RawHttp.GetAsync(edge.EndPoint, "/metrics")).Body;

        Assert.That(body, Does.Match(@"\ndotnet_gc_committed_bytes [1-9][0-9]*\n"));
        Assert.That(body, Does.Match(@"\ndotnet_gc_fragmented_bytes [0-9]+\n"));
        foreach (var generation in (string[])["0", "1", "2", "loh", "poh"])
        {
            Assert.That(body, Does.Match(@"\ndotnet_gc_generation_size_bytes\{generation=""" + generation + @"""\} [0-9]+\n"));
        }

        // The health check's request and this one read and wrote through pooled buffers: the pool holds a chunk.
        Assert.That(body, Does.Match(@"\nedge_buffer_pool_chunk_bytes [1-9][0-9]*\n"));
        Assert.That(body, Does.Match(@"\nedge_buffer_pool_used_bytes [0-9]+\n"));
    }
}
