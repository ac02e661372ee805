using System.Text.Json;
using Edge.EndToEnd.Tests.Operations;
using Edge.EndToEnd.Tests.Support;
using Edge.Server.Hosting;
using Edge.Server.Tenants;
using static Edge.Tests.Shared.Eventually;

namespace Edge.EndToEnd.Tests.Sse;

/// <summary>The SSE stream end to end: a real Edge, prices over real Aeron UDP, a raw HTTP client reading chunked SSE.</summary>
public sealed class SseStreamTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Test]
    public async Task A_stream_sends_its_headers_retry_a_snapshot_then_every_price_in_order()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Sse.RetryMilliseconds = 2500);
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("EUR/USD", 1.08, 1.09, 1);
        feed.Publish("BTC/USD", 60000, 60010, 7);
        await edge.WaitForSymbolAsync("EUR/USD");
        await edge.WaitForSymbolAsync("BTC/USD");
        await WaitUntilAsync(async () =>
        {
            using var probe = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD,BTC/USD&token={Token(edge)}");
            var data = (await probe.ReadEventAsync("snapshot")).Data!;
            return data.Contains("EUR/USD", StringComparison.Ordinal) && data.Contains("BTC/USD", StringComparison.Ordinal);
        });

        using var stream = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD,BTC%2FUSD&token={Token(edge)}");
        Assert.That(stream.Status, Is.EqualTo(200));
        Assert.That(stream.Headers["Content-Type"], Does.StartWith("text/event-stream"));
        Assert.That(stream.Headers["Cache-Control"], Is.EqualTo("no-cache"));
        Assert.That(stream.Headers["X-Accel-Buffering"], Is.EqualTo("no"));
        Assert.That(stream.Headers["Transfer-Encoding"], Is.EqualTo("chunked"));
        Assert.That(stream.Headers["Connection"], Is.EqualTo("keep-alive"));
        Assert.That(stream.Headers.ContainsKey("Content-Length"), Is.False);

        var retry = await stream.ReadAsync();
        Assert.That(retry!.Retry, Is.EqualTo(2500));
        var snapshot = await stream.ReadAsync();
        Assert.That(snapshot!.Event, Is.EqualTo("snapshot"));
        using (var json = JsonDocument.Parse(snapshot.Data!))
        {
            Assert.That(json.RootElement.GetProperty("type").GetString(), Is.EqualTo("snapshot"));
            var prices = json.RootElement.GetProperty("prices").EnumerateArray().ToDictionary(p => p.GetProperty("symbol").GetString()!, p => p.GetProperty("sequence").GetUInt64());
            Assert.That(prices, Is.EqualTo(new Dictionary<string, ulong> { ["EUR/USD"] = 1, ["BTC/USD"] = 7 }));
        }

        const int Updates = 200;
        for (var i = 2UL; i <= Updates; i++)
        {
            feed.Publish("EUR/USD", 1.08, 1.09 + (i * 0.00001), i);
            feed.Publish("BTC/USD", 60000, 60010 + i, i + 7);
        }

        var last = new Dictionary<string, ulong> { ["EUR/USD"] = 1, ["BTC/USD"] = 7 };
        while (last["EUR/USD"] < Updates || last["BTC/USD"] < Updates + 7)
        {
            var price = await stream.ReadEventAsync("price");
            using var json = JsonDocument.Parse(price.Data!);
            var root = json.RootElement;
            Assert.That(root.GetProperty("type").GetString(), Is.EqualTo("price"));
            var symbol = root.GetProperty("symbol").GetString()!;
            var sequence = root.GetProperty("sequence").GetUInt64();
            Assert.That(price.Id, Is.EqualTo(sequence.ToString(System.Globalization.CultureInfo.InvariantCulture)), "the event id is the per-symbol sequence");
            Assert.That(sequence, Is.GreaterThan(last[symbol]), $"{symbol}: strictly increasing, nothing older than the snapshot");
            Assert.That(root.GetProperty("bid").GetProperty("source").GetString(), Is.EqualTo("LP1"));
            Assert.That(root.TryGetProperty("mid", out _), Is.True);
            last[symbol] = sequence;
        }
    }

    [Test]
    public async Task Streams_opened_while_prices_flow_never_get_a_price_older_than_their_snapshot()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var feed = await edge.FeedAsync("EUR/USD", 1.08, 1.09);
        using var stop = new CancellationTokenSource();
        var publishing = Task.Run(async () =>
        {
            // Bounded: at most a million updates, paced so the loops keep up.
            for (var sequence = 2UL; !stop.IsCancellationRequested && sequence < 1_000_000; sequence++)
            {
                feed.Publish("EUR/USD", 1.08, 1.09, sequence);
                if (sequence % 16 == 0)
                {
                    await Task.Delay(1);
                }
            }
        });
        try
        {
            for (var i = 0; i < 15; i++)
            {
                using var stream = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={Token(edge)}");
                var snapshot = await SnapshotSequenceAsync(stream);
                Assert.That(snapshot, Is.Not.Null);
                var previous = snapshot!.Value;
                for (var n = 0; n < 5; n++)
                {
                    var sequence = ulong.Parse((await stream.ReadEventAsync("price")).Id!, System.Globalization.CultureInfo.InvariantCulture);
                    Assert.That(sequence, Is.GreaterThan(previous), $"stream {i}: after snapshot {snapshot}");
                    previous = sequence;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await publishing.WaitAsync(Bound);
        }
    }

    [Test]
    public async Task A_stream_opened_before_any_price_gets_an_empty_snapshot_then_the_first_price()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Ingest.Symbols = ["ETH/USD"]);
        using var stream = await SseStream.OpenAsync(edge.EndPoint, "/market-data/stream?symbols=ETH%2FUSD", $"Authorization: Bearer {Token(edge)}\r\n");
        Assert.That(stream.Status, Is.EqualTo(200));
        var snapshot = await stream.ReadEventAsync("snapshot");
        Assert.That(snapshot.Data, Is.EqualTo("{\"type\":\"snapshot\",\"prices\":[]}"));

        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("ETH/USD", 3000, 3001, 42);
        var price = await stream.ReadEventAsync("price");
        Assert.That(price.Id, Is.EqualTo("42"));
    }

    [TestCase("Last-Event-ID: 5\r\n", "")]
    [TestCase("", "&lastEventId=5")]
    public async Task A_reconnect_with_a_last_event_id_gets_the_current_snapshot_before_updates(string header, string parameter)
    {
        await using var edge = await RunningEdge.StartAsync();
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        for (var i = 1UL; i <= 9; i++)
        {
            feed.Publish("EUR/USD", 1.08, 1.09, i);
        }

        await edge.WaitForSymbolAsync("EUR/USD");
        using (var first = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={Token(edge)}"))
        {
            // The first stream sees sequence 9 in its snapshot or, if ingest was still behind, as a price after it. (A
            // stream has one snapshot: asking it for another would wait for the stream to end, at the token's expiry.)
            await SeeSequenceAsync(first, 9).WaitAsync(Bound);
        }

        using var again = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={Token(edge)}{parameter}", header);
        Assert.That(again.Status, Is.EqualTo(200));
        Assert.That((await again.ReadAsync())!.Retry, Is.Not.Null);
        var snapshot = await again.ReadAsync();
        Assert.That(snapshot!.Event, Is.EqualTo("snapshot"), "the snapshot comes first");
        using (var json = JsonDocument.Parse(snapshot.Data!))
        {
            Assert.That(json.RootElement.GetProperty("prices")[0].GetProperty("sequence").GetUInt64(), Is.EqualTo(9));
        }

        feed.Publish("EUR/USD", 1.08, 1.09, 10);
        Assert.That((await again.ReadEventAsync("price")).Id, Is.EqualTo("10"));
        Assert.That(edge.Host.SseCounters.Reconnects.Value, Is.EqualTo(1));
    }

    [Test]
    public async Task Feed_status_reaches_streams_as_status_events()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Ingest.Symbols = ["EUR/USD"]);
        using var stream = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={Token(edge)}");
        await stream.ReadEventAsync("snapshot");

        var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("EUR/USD", 1.08, 1.09, 1);
        var up = await stream.ReadEventAsync("status");
        feed.Dispose();
        var down = await stream.ReadEventAsync("status");

        Assert.That(up.Data, Does.Contain("\"feed\":\"up\""));
        Assert.That(down.Data, Does.Contain("\"feed\":\"down\""));
    }

    [Test]
    public async Task Heartbeat_comments_keep_a_quiet_stream_alive()
    {
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.Ingest.Symbols = ["EUR/USD"];
            o.Sse.HeartbeatSeconds = 1;
        });
        using var stream = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={Token(edge)}");
        await stream.ReadEventAsync("snapshot");

        var next = await stream.ReadAsync();
        Assert.That(next!.IsComment, Is.True);
        Assert.That(next.Comment, Is.EqualTo("hb"));
    }

    [Test]
    public async Task A_max_rate_stream_is_conflated_and_ends_on_the_final_price()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var feed = await edge.FeedAsync("ETH/USD", 3000, 3001);
        using var stream = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=ETH/USD&maxRate=5&token={Token(edge)}");
        await stream.ReadEventAsync("snapshot");

        const int Updates = 300;
        for (var i = 2UL; i <= Updates; i++)
        {
            feed.Publish("ETH/USD", 3000, 3001 + i, i);
        }

        var received = 0;
        var last = 0UL;
        while (last < Updates)
        {
            var price = await stream.ReadEventAsync("price");
            var sequence = ulong.Parse(price.Id!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(sequence, Is.GreaterThan(last));
            last = sequence;
            received++;
        }

        Assert.That(received, Is.LessThan(Updates - 1), "updates were conflated");
    }

    [Test]
    public async Task A_stalled_reader_is_conflated_then_cut_while_another_stream_keeps_receiving()
    {
        // 3 s, not 1: the healthy reader below is a thread-pool task that a loaded machine may stall for a second.
        await using var edge = await SlowConsumerEdge.StartAsync(timeoutSeconds: 3);
        using var feed = await edge.FeedAsync("EUR/USD", 1.08, 1.09);
        using var healthy = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={edge.Tokens.Issue("ok", "steady", TimeSpan.FromMinutes(5))}");
        await healthy.ReadEventAsync("snapshot");
        var healthyLast = 0UL;
        var reading = Task.Run(async () =>
        {
            while (await healthy.ReadAsync() is { } next)
            {
                if (next.Event == "price")
                {
                    healthyLast = ulong.Parse(next.Id!, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        });
        // Never reads a byte after its request: the kernel buffers fill, then the server's, then the policy acts.
        using var stalled = await SseStream.OpenAsync(
            edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={edge.Tokens.Issue("lag", "laggard", TimeSpan.FromMinutes(5))}", receiveBufferSize: 4096, readHead: false);
        await WaitUntilAsync(() => Task.FromResult(edge.Host.SseCounters.Streams.Value == 2));

        var closes = edge.Host.SseCounters.SlowConsumerCloses;
        var sequence = 2UL;
        using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            for (; closes.Value == 0; sequence++)
            {
                Assert.That(budget.IsCancellationRequested || sequence > 5_000_000, Is.False, "the stalled stream was never cut");
                feed.Publish("EUR/USD", 1.08, 1.09 + (sequence % 100) * 0.0001, sequence);
                if (sequence % 64 == 0)
                {
                    await Task.Delay(1);
                }
            }
        }

        var final = sequence;
        feed.Publish("EUR/USD", 1.07, 1.08, final);
        await WaitUntilAsync(() => Task.FromResult(healthyLast == final));
        var scrape = (await RawHttp.GetAsync(edge.EndPoint, "/metrics")).Body;
        Assert.That(await stalled.WaitForCloseAsync(), Is.True, "the stalled stream's connection was closed");
        Assert.That(PrometheusText.Value(scrape, "edge_fanout_conflated_total"), Is.GreaterThan(0), "the stalled stream was conflated first");
        Assert.That(PrometheusText.Value(scrape, "edge_sse_slow_consumer_closes_total"), Is.EqualTo(1));
        Assert.That(PrometheusText.Value(scrape, "edge_tenant_slow_consumer_closes_total{tenant=\"laggard\"}"), Is.EqualTo(1));
        Assert.That(PrometheusText.Value(scrape, "edge_tenant_sse_streams{tenant=\"steady\"}"), Is.EqualTo(1));
        Assert.That(PrometheusText.Value(scrape, "edge_sse_streams"), Is.EqualTo(1));
        healthy.Dispose();
        await reading.WaitAsync(Bound);
    }

    [Test]
    public async Task A_stalled_reader_that_reads_again_gets_whole_events_then_a_slow_consumer_error_and_the_last_chunk()
    {
        // The default watermarks: far more than DotNetty may hold waits in Edge when the stream is closed. The stream is
        // cut after twice the close timeout if its client takes nothing more: ample for the read below.
        await using var edge = await SlowConsumerEdge.StartAsync(
            timeoutSeconds: 1, highWaterMark: 256 * 1024, lowWaterMark: 64 * 1024, closeTimeoutSeconds: 30);
        using var feed = await edge.FeedAsync("EUR/USD", 1.08, 1.09);
        using var healthy = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={edge.Tokens.Issue("ok", "steady", TimeSpan.FromMinutes(5))}");
        await healthy.ReadEventAsync("snapshot");
        using var stalled = await SseStream.OpenAsync(
            edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={edge.Tokens.Issue("lag", "laggard", TimeSpan.FromMinutes(5))}", receiveBufferSize: 4096, readHead: false);
        await WaitUntilAsync(() => Task.FromResult(edge.Host.SseCounters.Streams.Value == 2));

        // Prices stream in lockstep with the healthy reader (so it is never slow itself) until the stalled one is closed.
        var closes = edge.Host.SseCounters.SlowConsumerCloses;
        var sequence = 1UL;
        using (var budget = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            while (closes.Value == 0)
            {
                Assert.That(budget.IsCancellationRequested, Is.False, "the stalled stream was never closed");
                for (var i = 0; i < 32; i++)
                {
                    sequence++;
                    feed.Publish("EUR/USD", 1.08, 1.09 + (sequence % 100) * 0.0001, sequence);
                }

                while (ulong.Parse((await healthy.ReadEventAsync("price")).Id!, System.Globalization.CultureInfo.InvariantCulture) < sequence)
                {
                }
            }
        }

        // The stalled client reads again: whole chunks of whole events (SseStream checks each), prices in order, then
        // the error event and the last chunk, not a stream cut in the middle of a chunk.
        await stalled.ReadResponseHeadAsync();
        var events = await stalled.ReadToEndAsync();
        var prices = events.Where(e => e.Event == "price").Select(e => ulong.Parse(e.Id!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var last = events.Last(e => e.Event is not null);

        Assert.That(stalled.Terminated, Is.True, "the terminating chunk 0\\r\\n\\r\\n arrived");
        Assert.That(last.Event, Is.EqualTo("error"), "the stream's last event tells why it ends");
        Assert.That(last.Data, Does.Contain("\"code\":\"SLOW_CONSUMER\""));
        Assert.That(prices, Is.Ordered.Ascending.And.Unique);
        Assert.That(prices.Count == 0 || prices[^1] < sequence, Is.True, "it was closed before the end");
        Assert.That(await stalled.WaitForCloseAsync(), Is.True, "then the connection closes");
        Assert.That(closes.Value, Is.EqualTo(1));
        var scrape = (await RawHttp.GetAsync(edge.EndPoint, "/metrics")).Body;
        Assert.That(PrometheusText.Value(scrape, "edge_slow_consumer_discarded_bytes_total"), Is.GreaterThan(0), "what waited in Edge was dropped");

        feed.Publish("EUR/USD", 1.07, 1.08, sequence + 1);
        Assert.That((await healthy.ReadEventAsync("price")).Id, Is.EqualTo((sequence + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), "the other stream keeps receiving");
    }

    [Test]
    public async Task Shutdown_ends_the_stream_with_a_status_event_and_the_last_chunk()
    {
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.Ingest.Symbols = ["EUR/USD"];
            o.DrainTimeoutSeconds = 120;
        });
        using var stream = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={Token(edge)}");
        await stream.ReadEventAsync("snapshot");

        // The drain timeout is far above the bound: the stop can only finish in time because the stream ended cleanly.
        var stopping = edge.Host.StopAsync();
        var rest = await stream.ReadToEndAsync();
        await stopping.WaitAsync(Bound);

        var status = rest.Last(e => e.Event is not null);
        Assert.That(status.Event, Is.EqualTo("status"));
        Assert.That(status.Data, Does.Contain(ShutdownDrain.CloseReason));
        Assert.That(stream.Terminated, Is.True, "the terminating chunk 0\\r\\n\\r\\n arrived");
        Assert.That(await stream.WaitForCloseAsync(), Is.True);
        Assert.That(edge.Host.SseCounters.ShutdownEnds.Value, Is.EqualTo(1));
    }

    [Test]
    public async Task An_expired_token_ends_the_stream_with_a_token_expired_error_event()
    {
        // Skew 0: the stream ends at exp + Auth:ClockSkewSeconds, the deadline the request was admitted by.
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.Ingest.Symbols = ["EUR/USD"];
            o.Auth.ClockSkewSeconds = 0;
        });
        var shortLived = edge.Tokens.Issue("trader-1", "acme", TimeSpan.FromSeconds(2));
        using var stream = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={shortLived}");
        await stream.ReadEventAsync("snapshot");

        var error = await stream.ReadEventAsync("error");
        var rest = await stream.ReadToEndAsync();

        Assert.That(error.Data, Does.Contain("\"code\":\"TOKEN_EXPIRED\""));
        Assert.That(rest.Where(e => e.Event is not null), Is.Empty);
        Assert.That(stream.Terminated, Is.True);
        Assert.That(await stream.WaitForCloseAsync(), Is.True);
    }

    [Test]
    public async Task An_operator_notice_reaches_the_tenants_streams_as_a_notice_event()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Ingest.Symbols = ["EUR/USD"]);
        using var stream = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={Token(edge)}");
        await stream.ReadEventAsync("snapshot");
        var broadcaster = new Edge.Server.Admin.NoticeBroadcaster(edge.Host.FanOut.Loops);

        Assert.That(await broadcaster.SendAsync("acme", "maintenance at 22:00"), Is.EqualTo(1));
        var notice = await stream.ReadEventAsync("notice");
        Assert.That(notice.Data, Does.Contain("maintenance at 22:00"));
    }

    [Test]
    public async Task Sse_streams_are_counted_apart_and_per_tenant_and_count_against_the_connection_quota()
    {
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.Ingest.Symbols = ["EUR/USD"];
            o.Tenancy.Tenants["solo"] = new TenantOptions { MaxConnections = 1 };
        });
        using var stream = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={edge.Tokens.Issue("a", "solo", TimeSpan.FromMinutes(5))}");
        await stream.ReadEventAsync("snapshot");
        using var second = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={edge.Tokens.Issue("b", "solo", TimeSpan.FromMinutes(5))}");
        var webSocket = await Edge.EndToEnd.Tests.WebSockets.RawWebSocket.OpenAsync(
            edge.EndPoint, "/market-data", $"Authorization: Bearer {edge.Tokens.Issue("c", "solo", TimeSpan.FromMinutes(5))}\r\n");
        var webSocketStatus = webSocket.Status;
        webSocket.Dispose();

        var scrape = (await RawHttp.GetAsync(edge.EndPoint, "/metrics")).Body;
        Assert.That(second.Status, Is.EqualTo(429));
        Assert.That(second.Body, Does.Contain("TOO_MANY_CONNECTIONS"));
        Assert.That(webSocketStatus, Is.EqualTo(429), "an SSE stream holds the tenant's connection slot for WebSocket too");
        Assert.That(PrometheusText.Value(scrape, "edge_sse_streams"), Is.EqualTo(1));
        Assert.That(PrometheusText.Value(scrape, "edge_sse_streams_opened_total"), Is.EqualTo(1));
        Assert.That(PrometheusText.Value(scrape, "edge_tenant_sse_streams{tenant=\"solo\"}"), Is.EqualTo(1));
        Assert.That(PrometheusText.Value(scrape, "edge_tenant_subscriptions{tenant=\"solo\"}"), Is.EqualTo(1));
        Assert.That(PrometheusText.Value(scrape, "edge_sse_refused_total{status=\"429\",code=\"TOO_MANY_CONNECTIONS\"}"), Is.EqualTo(1));
        Assert.That(PrometheusText.Value(scrape, "edge_sessions"), Is.Zero, "WebSocket sessions are counted apart");

        stream.Dispose();
        await WaitUntilAsync(() => Task.FromResult(edge.Host.SseCounters.Streams.Value == 0 && edge.Host.Tenants.Find("solo")!.Connections == 0));
        using var third = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={edge.Tokens.Issue("d", "solo", TimeSpan.FromMinutes(5))}");
        Assert.That(third.Status, Is.EqualTo(200), "the slot came back when the stream ended");
    }

    internal static string Token(RunningEdge edge) => edge.Tokens.Issue("trader-1", "acme", TimeSpan.FromMinutes(5));

    private static async Task<ulong?> SnapshotSequenceAsync(SseStream stream)
    {
        var snapshot = await stream.ReadEventAsync("snapshot");
        using var json = JsonDocument.Parse(snapshot.Data!);
        var prices = json.RootElement.GetProperty("prices");
        return prices.GetArrayLength() == 0 ? null : prices[0].GetProperty("sequence").GetUInt64();
    }

    /// <summary>Reads <paramref name="stream"/> until its snapshot or a price after it carries <paramref name="sequence"/>.</summary>
    private static async Task SeeSequenceAsync(SseStream stream, ulong sequence)
    {
        var seen = await SnapshotSequenceAsync(stream);
        while (seen != sequence)
        {
            seen = ulong.Parse((await stream.ReadEventAsync("price")).Id!, System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
