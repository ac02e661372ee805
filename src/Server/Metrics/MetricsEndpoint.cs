using System.Security.Cryptography;
using System.Text;
using DotNetty.Transport.Channels;
using Edge.Server.Http;

namespace Edge.Server.Metrics;

/// <summary>
/// <c>GET /metrics</c>: the registry as Prometheus text. With a bearer token configured (<see cref="MetricsOptions"/>),
/// a request without <c>Authorization: Bearer</c> and that token gets 401 with <c>WWW-Authenticate: Bearer</c>; the
/// comparison takes the same time wherever the tokens differ.
/// </summary>
public sealed class MetricsEndpoint
{
    public const string Path = "/metrics";

    private static readonly KeyValuePair<string, string>[] BearerChallenge = [new("WWW-Authenticate", "Bearer realm=\"metrics\"")];
    private static readonly KeyValuePair<string, string>[] AllowGet = [new("Allow", "GET, HEAD")];

    private readonly MetricsRegistry _registry;
    private readonly byte[]? _token;

    /// <param name="registry">What is rendered.</param>
    /// <param name="bearerToken">Required token; null: open to anyone who reaches the port.</param>
    public MetricsEndpoint(MetricsRegistry registry, string? bearerToken = null)
    {
        _registry = registry;
        _token = string.IsNullOrEmpty(bearerToken) ? null : Encoding.UTF8.GetBytes(bearerToken);
    }

    /// <summary>True when a bearer token is required.</summary>
    public bool RequiresToken => _token is not null;

    public void Handle(IChannelHandlerContext context, HttpRequestHead request)
    {
        var keepAlive = request.KeepAlive;
        if (request.Method is not ("GET" or "HEAD"))
        {
            _ = HttpResponseWriter.WriteJsonAsync(context, 405, "{\"error\":\"method_not_allowed\",\"message\":\"use GET\"}", keepAlive, AllowGet);
            return;
        }

        if (_token is not null && !Authorized(request.Header("Authorization")))
        {
            _ = HttpResponseWriter.WriteJsonAsync(context, 401, "{\"error\":\"unauthorized\",\"message\":\"/metrics needs Authorization: Bearer and the metrics token\"}", keepAlive, BearerChallenge);
            return;
        }

        _ = HttpResponseWriter.WriteAsync(context, 200, "text/plain; version=0.0.4; charset=utf-8", Encoding.UTF8.GetBytes(_registry.Render()), keepAlive);
    }

    private bool Authorized(string? authorization)
    {
        const string Scheme = "Bearer ";
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = Encoding.UTF8.GetBytes(authorization.AsSpan(Scheme.Length).Trim().ToString());
        return CryptographicOperations.FixedTimeEquals(presented, _token);
    }
}
