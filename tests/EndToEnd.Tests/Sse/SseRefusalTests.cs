using System.Text.Json;
using Edge.EndToEnd.Tests.Support;
using Edge.Server.Tenants;

namespace Edge.EndToEnd.Tests.Sse;

/// <summary>SSE requests that get no stream: each a plain HTTP status with a JSON body naming the problem; CORS preflights.</summary>
public sealed class SseRefusalTests
{
    private const string Allowed = "https://trading.example.com";

    [Test]
    public async Task No_token_is_401_with_a_bearer_challenge_and_a_bad_token_too()
    {
        await using var edge = await StartAsync();
        using var missing = await SseStream.OpenAsync(edge.EndPoint, "/market-data/stream?symbols=EUR/USD");
        using var bad = await SseStream.OpenAsync(edge.EndPoint, "/market-data/stream?symbols=EUR/USD&token=abc.def.ghi");

        Assert.That(missing.Status, Is.EqualTo(401));
        Assert.That(missing.Headers["WWW-Authenticate"], Does.StartWith("Bearer"));
        Assert.That(ErrorOf(missing), Is.EqualTo("TOKEN_MISSING"));
        Assert.That(missing.Headers["Content-Type"], Is.EqualTo("application/json"));
        Assert.That(bad.Status, Is.EqualTo(401));
        Assert.That(bad.Body, Does.Not.Contain("abc.def.ghi"), "a token is never echoed");
    }

    [Test]
    public async Task An_origin_not_allowed_is_403_and_an_allowed_one_gets_cors_headers()
    {
        await using var edge = await StartAsync();
        using var refused = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={SseStreamTests.Token(edge)}", "Origin: https://evil.example\r\n");
        using var allowed = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={SseStreamTests.Token(edge)}", $"Origin: {Allowed}\r\n");

        Assert.That(refused.Status, Is.EqualTo(403));
        Assert.That(ErrorOf(refused), Is.EqualTo("ORIGIN_NOT_ALLOWED"));
        Assert.That(refused.Headers.ContainsKey("Access-Control-Allow-Origin"), Is.False);
        Assert.That(allowed.Status, Is.EqualTo(200));
        Assert.That(allowed.Headers["Access-Control-Allow-Origin"], Is.EqualTo(Allowed));
        Assert.That(allowed.Headers["Vary"], Is.EqualTo("Origin"));
    }

    [Test]
    public async Task A_cors_preflight_is_answered_for_allowed_origins_only()
    {
        await using var edge = await StartAsync();
        using var http = await RawHttp.ConnectAsync(edge.EndPoint);
        await http.SendAsync(
            $"OPTIONS /market-data/stream?symbols=EUR/USD HTTP/1.1\r\nHost: localhost\r\nOrigin: {Allowed}\r\nAccess-Control-Request-Method: GET\r\n"
            + "Access-Control-Request-Headers: authorization, last-event-id\r\n\r\n");
        var preflight = await http.ReadResponseAsync();
        await http.SendAsync("OPTIONS /market-data/stream HTTP/1.1\r\nHost: localhost\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: GET\r\n\r\n");
        var refused = await http.ReadResponseAsync();

        Assert.That(preflight.Status, Is.EqualTo(200));
        Assert.That(preflight.Headers["Access-Control-Allow-Origin"], Is.EqualTo(Allowed));
        Assert.That(preflight.Headers["Access-Control-Allow-Methods"], Does.Contain("GET"));
        Assert.That(preflight.Headers["Access-Control-Allow-Headers"], Does.Contain("Authorization").And.Contains("Last-Event-ID"));
        Assert.That(refused.Status, Is.EqualTo(403));
        Assert.That(edge.Host.SseCounters.Preflights.Value, Is.EqualTo(2));
    }

    [Test]
    public async Task Unknown_symbols_are_400_and_symbols_outside_the_entitlement_403_each_named()
    {
        await using var edge = await StartAsync(o => o.Tenancy.Tenants["fx"] = new TenantOptions { SymbolPrefixes = ["EUR/"] });
        var fxToken = edge.Tokens.Issue("fx-1", "fx", TimeSpan.FromMinutes(5));
        using var unknown = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD,NOPE/XYZ&token={SseStreamTests.Token(edge)}");
        using var forbidden = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=BTC/USD&token={fxToken}");
        using var entitled = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={fxToken}");

        Assert.That(unknown.Status, Is.EqualTo(400));
        using (var json = JsonDocument.Parse(unknown.Body))
        {
            Assert.That(json.RootElement.GetProperty("error").GetString(), Is.EqualTo("UNKNOWN_SYMBOL"));
            var symbols = json.RootElement.GetProperty("symbols");
            Assert.That(symbols.GetArrayLength(), Is.EqualTo(1));
            Assert.That(symbols[0].GetProperty("symbol").GetString(), Is.EqualTo("NOPE/XYZ"));
        }

        Assert.That(forbidden.Status, Is.EqualTo(403));
        Assert.That(ErrorOf(forbidden), Is.EqualTo("FORBIDDEN_SYMBOL"));
        Assert.That(entitled.Status, Is.EqualTo(200));
        Assert.That(edge.Host.Tenants.Find("acme")!.Connections, Is.Zero, "a refused stream gives its connection slot back");
    }

    [TestCase("/market-data/stream", 400, "INVALID_SYMBOL")]
    [TestCase("/market-data/stream?symbols=", 400, "INVALID_SYMBOL")]
    [TestCase("/market-data/stream?symbols=EUR/USD,,BTC/USD", 400, "INVALID_SYMBOL")]
    [TestCase("/market-data/stream?symbols=EUR%01USD", 400, "INVALID_SYMBOL")]
    [TestCase("/market-data/stream?symbols=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 400, "INVALID_SYMBOL")]
    [TestCase("/market-data/stream?symbols=EUR/USD&symbols=BTC/USD", 400, "INVALID_QUERY")]
    [TestCase("/market-data/stream?symbols=EUR/USD&maxRate=abc", 400, "INVALID_MAX_RATE")]
    [TestCase("/market-data/stream?symbols=EUR/USD&maxRate=0", 400, "INVALID_MAX_RATE")]
    [TestCase("/market-data/stream?symbols=EUR/USD&maxRate=-5", 400, "INVALID_MAX_RATE")]
    [TestCase("/market-data/stream?symbols=EUR/USD&maxRate=99999999999", 400, "INVALID_MAX_RATE")]
    [TestCase("/market-data/stream?symbols=EUR/USD&lastEventId=abc", 400, "INVALID_LAST_EVENT_ID")]
    [TestCase("/market-data/stream?symbols=A,B,C,D", 400, "TOO_MANY_SYMBOLS")]
    public async Task Hostile_queries_get_a_clear_400(string target, int status, string code)
    {
        await using var edge = await StartAsync(o => o.Sse.MaxSymbolsPerStream = 3);
        var separator = target.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        using var stream = await SseStream.OpenAsync(edge.EndPoint, $"{target}{separator}token={SseStreamTests.Token(edge)}");

        Assert.That(stream.Status, Is.EqualTo(status));
        Assert.That(ErrorOf(stream), Is.EqualTo(code));
        Assert.That(edge.Host.SseCounters.Streams.Value, Is.Zero);
    }

    [Test]
    public async Task A_bad_last_event_id_header_is_400_and_a_huge_query_414()
    {
        await using var edge = await StartAsync();
        using var badHeader = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={SseStreamTests.Token(edge)}", "Last-Event-ID: 12x\r\n");
        using var huge = await SseStream.OpenAsync(edge.EndPoint, "/market-data/stream?symbols=" + string.Join(',', Enumerable.Repeat("EUR/USD", 2000)));

        Assert.That(badHeader.Status, Is.EqualTo(400));
        Assert.That(ErrorOf(badHeader), Is.EqualTo("INVALID_LAST_EVENT_ID"));
        Assert.That(huge.Status, Is.EqualTo(414));
    }

    [Test]
    public async Task Other_methods_are_405_and_a_disabled_endpoint_404()
    {
        await using var edge = await StartAsync();
        using (var http = await RawHttp.ConnectAsync(edge.EndPoint))
        {
            await http.SendAsync("POST /market-data/stream?symbols=EUR/USD HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n");
            var post = await http.ReadResponseAsync();
            Assert.That(post.Status, Is.EqualTo(405));
            Assert.That(post.Headers["Allow"], Is.EqualTo("GET, OPTIONS"));
        }

        await using var off = await StartAsync(o => o.Sse.Enabled = false);
        using var stream = await SseStream.OpenAsync(off.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={SseStreamTests.Token(off)}");
        Assert.That(stream.Status, Is.EqualTo(404));
    }

    private static Task<RunningEdge> StartAsync(Action<Edge.Server.Configuration.EdgeOptions>? configure = null) =>
        RunningEdge.StartAsync(o =>
        {
            o.Ingest.Symbols = ["EUR/USD", "BTC/USD"];
            o.WebSocket.AllowedOrigins = [Allowed];
            configure?.Invoke(o);
        });

    private static string? ErrorOf(SseStream stream)
    {
        using var json = JsonDocument.Parse(stream.Body);
        return json.RootElement.GetProperty("error").GetString();
    }
}
