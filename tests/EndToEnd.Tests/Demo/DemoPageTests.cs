using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Edge.EndToEnd.Tests.Support;
using Edge.Server.Configuration;
using Edge.Server.Demo;
using Edge.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.EndToEnd.Tests.Demo;

/// <summary>
/// The demo page over real HTTP: served from the embedded files at <c>/</c> in demo mode (ETag, 304, HEAD, content
/// types), and <c>/demo/token</c> handing out development tokens only while demo mode signs its own tokens.
/// </summary>
public sealed class DemoPageTests
{
    [Test]
    public async Task Demo_mode_serves_the_page_its_files_and_a_short_lived_token_Edge_accepts()
    {
        await using var host = await StartDemoAsync();
        using var http = Client(host);

        using var page = await http.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        using var bundle = await http.GetAsync("/demo/edge-client.js");
        using var script = await http.GetAsync("/demo/demo.js");
        using var css = await http.GetAsync("/demo/demo.css");
        using var tokenResponse = await http.GetAsync(DemoPage.TokenPath);
        using var token = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/html; charset=utf-8"));
        Assert.That(page.Headers.ETag, Is.Not.Null);
        Assert.That(page.Headers.CacheControl!.NoCache, Is.True);
        Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("default-src 'self'"));
        var config = PageConfig(html);
        Assert.That(config.GetProperty("wsPath").GetString(), Is.EqualTo("/market-data"));
        Assert.That(config.GetProperty("tokenPath").GetString(), Is.EqualTo(DemoPage.TokenPath));
        Assert.That(config.GetProperty("symbols").GetArrayLength(), Is.EqualTo(DemoInstruments.All.Count));
        Assert.That(config.GetProperty("symbols")[0].GetProperty("symbol").GetString(), Is.EqualTo(DemoInstruments.All[0].Symbol));

        Assert.That(bundle.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(bundle.Content.Headers.ContentType!.ToString(), Is.EqualTo("text/javascript; charset=utf-8"));
        Assert.That(await bundle.Content.ReadAsStringAsync(), Does.Contain("MarketDataClient"));
        Assert.That(script.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/javascript"));
        Assert.That(css.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/css"));

        Assert.That(tokenResponse.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(tokenResponse.Headers.CacheControl!.NoStore, Is.True);
        var result = host.Validator.Validate(token.RootElement.GetProperty("token").GetString());
        Assert.That(result.Succeeded, Is.True, result.ToString());
        Assert.That(result.Identity!.Tenant, Is.EqualTo("demo"));
        Assert.That(result.Identity.IsAdmin, Is.False);
        Assert.That(result.Identity.ExpiresAt, Is.EqualTo(DateTimeOffset.UtcNow + DemoPage.TokenLifetime).Within(TimeSpan.FromMinutes(1)));
    }

    [Test]
    public async Task Files_answer_304_to_their_etag_and_HEAD_with_the_headers_alone()
    {
        await using var host = await StartDemoAsync();
        using var http = Client(host);

        using var first = await http.GetAsync("/demo/edge-client.js");
        var length = (await first.Content.ReadAsByteArrayAsync()).Length;
        using var again = new HttpRequestMessage(HttpMethod.Get, "/demo/edge-client.js");
        again.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var notModified = await http.SendAsync(again);
        using var other = new HttpRequestMessage(HttpMethod.Get, "/demo/edge-client.js");
        other.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        using var modified = await http.SendAsync(other);
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/"));
        using var post = await http.PostAsync("/", new StringContent("x"));

        Assert.That(notModified.StatusCode, Is.EqualTo(HttpStatusCode.NotModified));
        Assert.That(notModified.Headers.ETag, Is.EqualTo(first.Headers.ETag));
        Assert.That(await notModified.Content.ReadAsByteArrayAsync(), Is.Empty);
        Assert.That(modified.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await modified.Content.ReadAsByteArrayAsync()).Length, Is.EqualTo(length));
        Assert.That(head.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(head.Content.Headers.ContentLength, Is.EqualTo(host.Server.DemoPage!.Resources["/"].Body.Length));
        Assert.That(head.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/html"));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.MethodNotAllowed));
    }

    [Test]
    public async Task Outside_demo_mode_neither_the_page_nor_tokens_are_served()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var http = Client(edge.Host);

        foreach (var path in new[] { "/", "/demo/demo.js", "/demo/edge-client.js", DemoPage.TokenPath })
        {
            using var response = await http.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), path);
        }
    }

    [Test]
    public async Task The_page_turned_on_outside_demo_mode_serves_no_tokens_and_lists_the_configured_symbols()
    {
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.Demo.Page = true;
            o.Ingest.Symbols = ["EUR/USD", "</script>"];
        });
        using var http = Client(edge.Host);

        using var page = await http.GetAsync("/");
        var html = await page.Content.ReadAsStringAsync();
        using var token = await http.GetAsync(DemoPage.TokenPath);

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var config = PageConfig(html);
        Assert.That(config.GetProperty("tokenPath").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(config.GetProperty("symbols")[1].GetProperty("symbol").GetString(), Is.EqualTo("</script>"));
        Assert.That(html, Does.Not.Contain("\"</script>"), "the JSON block escapes '<' so a symbol cannot end the script element");
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Demo_mode_with_real_keys_serves_the_page_but_no_tokens()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Demo.Enabled = true);
        using var http = Client(edge.Host);

        using var page = await http.GetAsync("/");
        using var token = await http.GetAsync(DemoPage.TokenPath);

        Assert.That(edge.Host.DevTokens, Is.Null, "configured keys: demo mode makes no development key");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Demo_Page_false_turns_the_page_and_tokens_off_in_demo_mode()
    {
        await using var host = await StartDemoAsync(o => o.Demo.Page = false);
        using var http = Client(host);

        using var page = await http.GetAsync("/");
        using var token = await http.GetAsync(DemoPage.TokenPath);
        using var health = await http.GetAsync("/healthz");

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(token.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>Edge as <c>scripts/run</c> starts it: demo mode with its own development key (on loopback, OS-chosen ports).</summary>
    private static async Task<EdgeHost> StartDemoAsync(Action<EdgeOptions>? configure = null)
    {
        var options = new EdgeOptions { Port = 0, BindAddress = "127.0.0.1", EventLoops = 1, DrainTimeoutSeconds = 1 };
        options.Ingest.Endpoint = "127.0.0.1:0";
        options.Demo.UpdatesPerSecond = 20;
        configure?.Invoke(options);
        var tokens = DemoAuth.Prepare(options);
        Assert.That(options.Validate(), Is.Empty);
        var host = new EdgeHost(options, NullLoggerFactory.Instance, tokens);
        try
        {
            await host.StartAsync();
        }
        catch
        {
            await host.StopAsync();
            throw;
        }

        return host;
    }

    private static HttpClient Client(EdgeHost host) =>
        new() { BaseAddress = new Uri($"http://127.0.0.1:{host.Server.LocalEndPoint!.Port}"), Timeout = TimeSpan.FromSeconds(20) };

    private static JsonElement PageConfig(string html)
    {
        const string Start = "<script id=\"edge-config\" type=\"application/json\">";
        var from = html.IndexOf(Start, StringComparison.Ordinal) + Start.Length;
        var to = html.IndexOf("</script>", from, StringComparison.Ordinal);
        return JsonDocument.Parse(html[from..to]).RootElement.Clone();
    }
}
