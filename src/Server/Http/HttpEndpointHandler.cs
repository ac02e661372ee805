using System.Text;
using DotNetty.Transport.Channels;
using Edge.Server.Admin;
using Edge.Server.Demo;
using Edge.Server.Hosting;
using Edge.Server.Metrics;
using Edge.Server.Sse;
using Edge.Server.Transport;
using Edge.Server.WebSockets;

namespace Edge.Server.Http;

/// <summary>
/// Answers the plain-HTTP endpoints on the server port: <c>GET /healthz</c> (liveness), <c>GET /readyz</c>
/// (readiness), <c>GET /metrics</c> (Prometheus text, <see cref="MetricsEndpoint"/>; 404 when served on a separate port), <c>POST /admin/broadcast</c> (operator notices), the demo page
/// (<see cref="DemoPage"/>) and the SSE stream (<see cref="SseEndpoint"/>); anything else gets a proper status code. Decoder refusals
/// are answered here and close the connection. An exception that reaches it closes the connection; unless it is the
/// connection failing, it is recorded in the <see cref="ErrorLog"/> first.
/// </summary>
public sealed class HttpEndpointHandler : ChannelHandlerAdapter
{
    private static readonly KeyValuePair<string, string>[] AllowGet = [new("Allow", "GET, HEAD")];

    private readonly HealthState _health;
    private readonly MetricsEndpoint? _metrics;
    private readonly WebSocketUpgrader? _webSockets;
    private readonly AdminBroadcastEndpoint? _adminBroadcast;
    private readonly DemoPage? _demoPage;
    private readonly SseEndpoint? _sse;
    private readonly ErrorLog? _errors;

    /// <param name="health">Liveness and readiness.</param>
    /// <param name="metrics">Answers /metrics; null: that path is 404 (it is served on a separate listener).</param>
    /// <param name="webSockets">Offered every request first: WebSocket paths and upgrade attempts are its own.</param>
    /// <param name="adminBroadcast">Answers <c>/admin/broadcast</c>; null: that path is 404.</param>
    /// <param name="demoPage">Answers <c>/</c> and <c>/demo/...</c>; null: those paths are 404.</param>
    /// <param name="sse">Answers the SSE stream path; null: that path is 404.</param>
    /// <param name="errors">Where an exception that is not the connection failing is recorded; null: nowhere.</param>
    public HttpEndpointHandler(
        HealthState health,
        MetricsEndpoint? metrics,
        WebSocketUpgrader? webSockets = null,
        AdminBroadcastEndpoint? adminBroadcast = null,
        DemoPage? demoPage = null,
        SseEndpoint? sse = null,
        ErrorLog? errors = null)
    {
        _health = health;
        _metrics = metrics;
        _webSockets = webSockets;
        _adminBroadcast = adminBroadcast;
        _demoPage = demoPage;
        _sse = sse;
        _errors = errors;
    }

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        switch (message)
        {
            case HttpRequestRefusal error:
                _ = HttpResponseWriter.WriteJsonAsync(context, error.Status, ErrorJson("bad_request", error.Reason), keepAlive: false);
                break;
            case HttpRequestHead request:
                if (_webSockets is null || !_webSockets.TryHandle(context, request))
                {
                    Route(context, request);
                }

                break;
            default:
                context.FireChannelRead(message);
                break;
        }
    }

    public override void ExceptionCaught(IChannelHandlerContext context, Exception exception)
    {
        // A bug in a handler of this connection: closed like any failure, but not without a trace.
        if (!TransportFailure.Is(exception))
        {
            _errors?.Record("http", exception);
        }

        context.CloseAsync();
    }

    private void Route(IChannelHandlerContext context, HttpRequestHead request)
    {
        if (_sse is not null && string.Equals(request.Path, _sse.Path, StringComparison.Ordinal))
        {
            _sse.Handle(context, request);
            return;
        }

        var keepAlive = request.KeepAlive;
        var isGet = request.Method is "GET" or "HEAD";
        switch (request.Path)
        {
            case "/healthz":
                if (!isGet)
                {
                    _ = HttpResponseWriter.WriteJsonAsync(context, 405, ErrorJson("method_not_allowed", "use GET"), keepAlive, AllowGet);
                    return;
                }

                _ = Respond(context, request, 200, "{\"status\":\"ok\"}", keepAlive);
                return;
            case "/readyz":
                if (!isGet)
                {
                    _ = HttpResponseWriter.WriteJsonAsync(context, 405, ErrorJson("method_not_allowed", "use GET"), keepAlive, AllowGet);
                    return;
                }

                _ = _health.Ready
                    ? Respond(context, request, 200, "{\"status\":\"ready\"}", keepAlive)
                    : Respond(context, request, 503, "{\"status\":\"not_ready\"}", keepAlive);
                return;
            case MetricsEndpoint.Path when _metrics is not null:
                _metrics.Handle(context, request);
                return;
            case AdminBroadcastEndpoint.Path when _adminBroadcast is not null:
                _adminBroadcast.Handle(context, request);
                return;
            case var path when _demoPage is not null && _demoPage.Serves(path):
                _demoPage.Handle(context, request);
                return;
            default:
                _ = HttpResponseWriter.WriteJsonAsync(context, 404, ErrorJson("not_found", "no such endpoint"), keepAlive);
                return;
        }
    }

    private static Task Respond(IChannelHandlerContext context, HttpRequestHead request, int status, string json, bool keepAlive) =>
        request.Method == "HEAD"
            ? HttpResponseWriter.WriteAsync(context, status, "application/json", ReadOnlySpan<byte>.Empty, keepAlive)
            : HttpResponseWriter.WriteAsync(context, status, "application/json", Encoding.UTF8.GetBytes(json), keepAlive);

    private static string ErrorJson(string code, string message) => "{\"error\":\"" + code + "\",\"message\":\"" + message + "\"}";
}
