using System.Buffers;
using System.Text.Json;
using DotNetty.Transport.Channels;
using Edge.Server.Auth;
using Edge.Server.Http;
using Edge.Server.Metrics;
using Edge.Server.Tenants;
using Microsoft.Extensions.Logging;

namespace Edge.Server.Admin;

/// <summary>
/// <c>POST /admin/broadcast</c> on the server port: an operator sends a <c>notice</c> to every connection of one tenant.
/// <list type="bullet">
/// <item>405 (with <c>Allow: POST</c>) for another method;</item>
/// <item>401 (with <c>WWW-Authenticate: Bearer</c>) without a valid token in <c>Authorization: Bearer</c> (the only
/// place read here: no token in URLs); 403 when the token lacks the admin scope, or names another tenant than the
/// request's without the all-tenants scope (<see cref="AuthOptions.AllTenantsAdminScope"/>);</item>
/// <item>400 for a body that is not <c>{"tenant":…,"message":…}</c> (see <see cref="BroadcastRequest"/>);</item>
/// <item>404 <c>unknown_tenant</c> when the tenant is neither configured nor has connected since start;</item>
/// <item>otherwise 202 <c>{"delivered":N}</c>: N sessions the notice was queued to (0 when the tenant has none now).</item>
/// </list>
/// Every answer closes the connection. Runs on the HTTP connection's event loop; the delivery runs on every loop.
/// </summary>
public sealed partial class AdminBroadcastEndpoint
{
    public const string Path = "/admin/broadcast";

    private static readonly KeyValuePair<string, string>[] AllowPost = [new("Allow", "POST")];
    private static readonly KeyValuePair<string, string>[] BearerChallenge = [new("WWW-Authenticate", "Bearer")];
    private static readonly KeyValuePair<string, string>[] InvalidTokenChallenge = [new("WWW-Authenticate", "Bearer error=\"invalid_token\"")];

    private readonly JwtValidator _validator;
    private readonly TenantDirectory _tenants;
    private readonly TenantMetrics _tenantMetrics;
    private readonly NoticeBroadcaster _broadcaster;
    private readonly MetricsRegistry _metrics;
    private readonly ILogger _logger;

    public AdminBroadcastEndpoint(
        JwtValidator validator,
        TenantDirectory tenants,
        TenantMetrics tenantMetrics,
        NoticeBroadcaster broadcaster,
        MetricsRegistry metrics,
        ILogger logger)
    {
        _validator = validator;
        _tenants = tenants;
        _tenantMetrics = tenantMetrics;
        _broadcaster = broadcaster;
        _metrics = metrics;
        _logger = logger;
    }

    public void Handle(IChannelHandlerContext context, HttpRequestHead request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method != "POST")
        {
            Answer(context, 405, Error("method_not_allowed", "use POST"), AllowPost);
            return;
        }

        var extraction = BearerTokenExtractor.FromAuthorizationHeader(request.Header("Authorization"), _validator.MaxTokenLength);
        var auth = _validator.Validate(extraction);
        if (!auth.Succeeded)
        {
            var missing = auth.Failure == AuthFailureReason.Missing;
            Answer(context, 401, Error("unauthorized", auth.Message), missing ? BearerChallenge : InvalidTokenChallenge);
            return;
        }

        var identity = auth.Identity!;
        if (!identity.IsAdmin)
        {
            Answer(context, 403, Error("forbidden", "the token lacks the admin scope"));
            return;
        }

        if (!BroadcastRequest.TryParse(request.Body, out var broadcast, out var problem))
        {
            Answer(context, 400, Error("bad_request", problem));
            return;
        }

        // The admin scope is bound to the token's tenant; only the all-tenants scope reaches others. Checked before the
        // tenant lookup, so a tenant's operator cannot probe which other tenants exist.
        if (!identity.MayAdminister(broadcast.Tenant))
        {
            Answer(context, 403, Error("forbidden", "the token's admin scope covers only its own tenant"));
            return;
        }

        if (!IsKnown(broadcast.Tenant))
        {
            Answer(context, 404, Error("unknown_tenant", "no such tenant: not configured and not connected since start"));
            return;
        }

        _ = BroadcastAsync(context, identity, broadcast);
    }

    private async Task BroadcastAsync(IChannelHandlerContext context, ClientIdentity admin, BroadcastRequest broadcast)
    {
        int status;
        byte[] body;
        try
        {
            var delivered = await _broadcaster.SendAsync(broadcast.Tenant, broadcast.Message).ConfigureAwait(false);
            _tenantMetrics.For(broadcast.Tenant).Notices.Add(delivered);
            LogBroadcast(admin.Subject, broadcast.Tenant, delivered, broadcast.Message);
            status = 202;
            body = Json(static (json, count) => json.WriteNumber("delivered"u8, count), delivered);
        }
        catch (Exception exception)
        {
            LogBroadcastFailed(exception, broadcast.Tenant);
            status = 500;
            body = Error("internal_error", "the notice could not be sent");
        }

        try
        {
            // The answer is written on the connection's own loop, like every other write to it.
            context.Executor.Execute(() => Answer(context, status, body));
        }
        catch (DotNetty.Common.Concurrency.RejectedExecutionException)
        {
            // The server stopped meanwhile; the connection is gone with it.
        }
    }

    private bool IsKnown(string tenant)
    {
        // Configured tenants are always in the directory; others once they connected. Find() is not used: it would
        // admit (create) an unknown tenant.
        foreach (var policy in _tenants.All)
        {
            if (string.Equals(policy.Name, tenant, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private void Answer(IChannelHandlerContext context, int status, byte[] body, IReadOnlyList<KeyValuePair<string, string>>? headers = null)
    {
        _metrics.Counter("edge_admin_requests_total", "Operator endpoint requests, by endpoint and answer status.",
            MetricLabels.Of("endpoint", "broadcast", "status", status.ToString(System.Globalization.CultureInfo.InvariantCulture))).Increment();
        _ = HttpResponseWriter.WriteAsync(context, status, "application/json", body, keepAlive: false, headers);
    }

    private static byte[] Error(string code, string message) =>
        Json(static (json, text) =>
        {
            json.WriteString("error"u8, text.Code);
            json.WriteString("message"u8, text.Message);
        }, (Code: code, Message: message));

    private static byte[] Json<T>(Action<Utf8JsonWriter, T> write, T state)
    {
        var output = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(output))
        {
            json.WriteStartObject();
            write(json, state);
            json.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Operator {Admin} broadcast a notice to tenant {Tenant}: queued to {Delivered} sessions: {Notice}")]
    private partial void LogBroadcast(string admin, string tenant, int delivered, string notice);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Broadcast to tenant {Tenant} failed")]
    private partial void LogBroadcastFailed(Exception exception, string tenant);
}
