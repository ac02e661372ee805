using System.Buffers;
using System.Text;
using System.Text.Json;
using DotNetty.Transport.Channels;
using Edge.Server.Auth;
using Edge.Server.Configuration;
using Edge.Server.Http;

namespace Edge.Server.Demo;

/// <summary>
/// The demo page: a live price grid at <c>/</c> built on the TypeScript SDK, served from resources embedded in the
/// binary (read once at start), plus <c>GET /demo/token</c>, a short-lived development token for tenant
/// <c>demo</c>, which exists only when demo mode signs its own tokens. The page reads its settings (WebSocket path,
/// symbols, where to get a token) from a JSON block written into index.html at start.
/// </summary>
public sealed class DemoPage
{
    public const string TokenPath = "/demo/token";
    public const string TokenTenant = "demo";

    /// <summary>Short enough to matter little if copied; the SDK's getToken refreshes it on the open connection.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(15);

    private const string ResourcePrefix = "EdgeDemoPage/";
    private const string ConfigPlaceholder = "__EDGE_CONFIG__";
    private const string Html = "text/html; charset=utf-8";
    private const string JavaScript = "text/javascript; charset=utf-8";

    private static readonly KeyValuePair<string, string>[] AllowGet = [new("Allow", "GET, HEAD")];
    private static readonly KeyValuePair<string, string>[] AllowTokenGet = [new("Allow", "GET")];
    private static readonly KeyValuePair<string, string>[] NoStore = [new("Cache-Control", "no-store")];

    // Everything the page loads comes from this origin; the SDK's WebSocket too ('self' covers ws/wss of it).
    private static readonly KeyValuePair<string, string>[] PageHeaders =
    [
        new("Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
        new("Referrer-Policy", "no-referrer"),
    ];

    private readonly Dictionary<string, DemoPageResource> _resources;
    private readonly DevTokenIssuer? _tokens;

    private DemoPage(Dictionary<string, DemoPageResource> resources, DevTokenIssuer? tokens)
    {
        _resources = resources;
        _tokens = tokens;
    }

    /// <summary>True when development tokens are handed out at <see cref="TokenPath"/>.</summary>
    public bool ServesTokens => _tokens is not null;

    /// <summary>The files served, by path.</summary>
    public IReadOnlyDictionary<string, DemoPageResource> Resources => _resources;

    /// <summary>
    /// The page for these options, or null when <c>Demo:Page</c> turns it off. <paramref name="tokens"/> is demo mode's
    /// development issuer (<see cref="DemoAuth.Prepare"/>); without it there is no token endpoint and the page
    /// takes a token from its URL (<c>#token=…</c>).
    /// </summary>
    public static DemoPage? Create(EdgeOptions options, DevTokenIssuer? tokens)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Demo.PageEnabled)
        {
            return null;
        }

        var tokenIssuer = options.Demo.Enabled ? tokens : null;
        var index = Encoding.UTF8.GetString(Load("index.html"));
        if (!index.Contains(ConfigPlaceholder, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("the embedded demo page has no " + ConfigPlaceholder + " placeholder");
        }

        index = index.Replace(ConfigPlaceholder, PageConfigJson(options, tokenIssuer is not null), StringComparison.Ordinal);
        var resources = new Dictionary<string, DemoPageResource>(StringComparer.Ordinal);
        Add(resources, new DemoPageResource("/", Html, Encoding.UTF8.GetBytes(index), PageHeaders));
        Add(resources, new DemoPageResource("/demo/demo.css", "text/css; charset=utf-8", Load("demo.css")));
        Add(resources, new DemoPageResource("/demo/demo.js", JavaScript, Load("demo.js")));
        Add(resources, new DemoPageResource("/demo/edge-client.js", JavaScript, Load("edge-client.js")));
        Add(resources, new DemoPageResource("/demo/favicon.svg", "image/svg+xml", Load("favicon.svg")));
        return new DemoPage(resources, tokenIssuer);
    }

    /// <summary>True for the paths this page answers (so the router hands them over).</summary>
    public bool Serves(string path) => _resources.ContainsKey(path) || path == TokenPath;

    public void Handle(IChannelHandlerContext context, HttpRequestHead request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var keepAlive = request.KeepAlive;
        if (request.Path == TokenPath)
        {
            HandleToken(context, request, keepAlive);
            return;
        }

        if (request.Method is not ("GET" or "HEAD"))
        {
            _ = HttpResponseWriter.WriteJsonAsync(context, 405, ErrorJson("method_not_allowed", "use GET"), keepAlive, AllowGet);
            return;
        }

        _ = _resources[request.Path].WriteAsync(context, request);
    }

    private void HandleToken(IChannelHandlerContext context, HttpRequestHead request, bool keepAlive)
    {
        if (_tokens is null)
        {
            // Not demo mode (or real keys configured): there is no such endpoint.
            _ = HttpResponseWriter.WriteJsonAsync(context, 404, ErrorJson("not_found", "no such endpoint"), keepAlive);
            return;
        }

        if (request.Method != "GET")
        {
            _ = HttpResponseWriter.WriteJsonAsync(context, 405, ErrorJson("method_not_allowed", "use GET"), keepAlive, AllowTokenGet);
            return;
        }

        var token = _tokens.Issue("demo-page", TokenTenant, TokenLifetime);
        var body = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("token", token);
            json.WriteString("tenant", TokenTenant);
            json.WriteNumber("expiresInSeconds", (long)TokenLifetime.TotalSeconds);
            json.WriteEndObject();
        }

        _ = HttpResponseWriter.WriteAsync(context, 200, "application/json", body.WrittenSpan, keepAlive, NoStore);
    }

    /// <summary>
    /// The page's settings. Utf8JsonWriter's default encoder escapes &lt;, &gt; and &amp;, so the JSON cannot end
    /// the script element it is written into.
    /// </summary>
    private static string PageConfigJson(EdgeOptions options, bool servesTokens)
    {
        var output = new ArrayBufferWriter<byte>(2048);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            json.WriteString("wsPath", options.WebSocket.Path);
            if (servesTokens)
            {
                json.WriteString("tokenPath", TokenPath);
            }
            else
            {
                json.WriteNull("tokenPath");
            }

            json.WriteStartArray("symbols");
            if (options.Demo.Enabled)
            {
                foreach (var instrument in DemoInstruments.All)
                {
                    json.WriteStartObject();
                    json.WriteString("symbol", instrument.Symbol);
                    json.WriteNumber("decimals", instrument.Decimals);
                    json.WriteEndObject();
                }
            }
            else
            {
                foreach (var symbol in options.Ingest.Symbols)
                {
                    json.WriteStartObject();
                    json.WriteString("symbol", symbol);
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static void Add(Dictionary<string, DemoPageResource> resources, DemoPageResource resource) => resources.Add(resource.Path, resource);

    /// <summary>Reads an embedded file (AOT-safe: manifest resources stay in the native binary).</summary>
    private static byte[] Load(string name)
    {
        using var stream = typeof(DemoPage).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException("the demo page resource " + name + " is not embedded in the binary");
        using var copy = new MemoryStream((int)stream.Length);
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string ErrorJson(string code, string message) => "{\"error\":\"" + code + "\",\"message\":\"" + message + "\"}";
}
