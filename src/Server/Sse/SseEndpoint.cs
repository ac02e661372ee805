using System.Buffers;
using System.Text;
using System.Text.Json;
using DotNetty.Transport.Channels;
using Edge.Protocol.Client;
using Edge.Server.Admission;
using Edge.Server.Http;
using Edge.Server.Proxy;
using Edge.Server.Sessions;
using Edge.Server.Tenants;
using Edge.Server.Transport;
using Edge.Server.WebSockets;

namespace Edge.Server.Sse;

/// <summary>
/// <c>GET /market-data/stream?symbols=A,B</c>: market data as Server-Sent Events on the server port, admitted exactly
/// like a WebSocket client (the same <see cref="EdgeWebSocketAdmission"/>: <c>Origin</c>, bearer token from the header
/// or <c>?token=</c>, shutdown, tenant and per-IP connection quotas), then every symbol checked by
/// <see cref="SubscriptionRules"/>. Refusals are plain HTTP errors with a JSON body, before any stream byte; an
/// accepted request turns the connection into an <see cref="SseSession"/>. <c>OPTIONS</c> answers CORS preflights for
/// the allowed origins. Shared by all connections; thread-safe.
/// </summary>
public sealed class SseEndpoint
{
    /// <summary>The endpoint's name in admission requests and logs.</summary>
    public const string Name = "market-data-stream";

    private static readonly Dictionary<int, FanOut.Subscription> NoSubscriptions = [];
    private static readonly WebSocketRefusal AdmissionFailed = new(500, "INTERNAL_ERROR", "the server could not decide on this stream");
    private static readonly WebSocketRefusal MethodNotAllowed = new(405, "METHOD_NOT_ALLOWED", "use GET (or OPTIONS for a CORS preflight)");
    private static readonly WebSocketRefusal NeedsHttp11 = new(505, "HTTP_VERSION_NOT_SUPPORTED", "an event stream needs HTTP/1.1 (chunked transfer)");
    private static readonly WebSocketRefusal BadLastEventId =
        new(400, "INVALID_LAST_EVENT_ID", "Last-Event-ID must be an event id this server sent (decimal digits)");

    private readonly EdgeWebSocketAdmission _admission;
    private readonly TenantMetrics _tenantMetrics;

    /// <param name="options">The <c>Sse</c> section.</param>
    /// <param name="admission">The market-data admission (the WebSocket path's rules) whose acceptance carries the <see cref="ClientConnection"/> as state.</param>
    /// <param name="sessions">Fan-out, symbols, tenants and session counters.</param>
    /// <param name="tenantMetrics">Per-tenant series.</param>
    /// <param name="counters">The <c>edge_sse_*</c> metrics.</param>
    public SseEndpoint(SseOptions options, EdgeWebSocketAdmission admission, SessionServices sessions, TenantMetrics tenantMetrics, SseCounters counters)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(admission);
        ArgumentNullException.ThrowIfNull(sessions);
        ArgumentNullException.ThrowIfNull(tenantMetrics);
        ArgumentNullException.ThrowIfNull(counters);
        Options = options;
        _admission = admission;
        Sessions = sessions;
        _tenantMetrics = tenantMetrics;
        Counters = counters;
    }

    public string Path => Options.Path;

    public SseOptions Options { get; }

    public SessionServices Sessions { get; }

    public SseCounters Counters { get; }

    /// <summary>The acceptance an <see cref="EdgeWebSocketAdmission"/> for SSE is built with: nothing to install, the connection as state.</summary>
    public static WebSocketAdmissionDecision AcceptStream(ClientConnection connection) =>
        WebSocketAdmissionDecision.Accept(static _ => { }, connection);

    /// <summary>Answers a request for <see cref="Path"/>, on the connection's event loop.</summary>
    public void Handle(IChannelHandlerContext context, HttpRequestHead request)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        var origin = request.Header("Origin");
        var cors = CorsHeaders(origin);
        if (request.Method == "OPTIONS")
        {
            Preflight(context, request, origin, cors);
            return;
        }

        if (request.Method != "GET")
        {
            Refuse(context, request, MethodNotAllowed, [.. cors, new("Allow", "GET, OPTIONS")]);
            return;
        }

        if (request.Version != "HTTP/1.1")
        {
            Refuse(context, request, NeedsHttp11, cors);
            return;
        }

        // Origin, token, shutdown and quotas first: nothing about symbols is told to a client that may not connect.
        WebSocketAdmissionDecision decision;
        try
        {
            decision = _admission.Admit(new WebSocketAdmissionRequest(request, ClientAddress.Of(context.Channel), Name, null));
        }
        catch (Exception)
        {
            // The policy's bug must not leave the client hanging or reach the event loop.
            decision = WebSocketAdmissionDecision.Refuse(AdmissionFailed);
        }

        if (!decision.Accepted)
        {
            var refusal = decision.Refusal!;
            Refuse(context, request, refusal, [.. refusal.Headers, .. cors]);
            return;
        }

        var lease = decision.Lease;
        var refused = true;
        try
        {
            refused = !TryStart(context, request, (ClientConnection)decision.State!, cors, lease);
        }
        finally
        {
            if (refused)
            {
                lease?.Dispose();
            }
        }
    }

    private bool TryStart(IChannelHandlerContext context, HttpRequestHead request, ClientConnection connection, KeyValuePair<string, string>[] cors, IDisposable? lease)
    {
        var queryRefusal = SseQuery.TryParse(request.Query, Options.MaxSymbolsPerStream, out var query);
        if (queryRefusal is not null)
        {
            Refuse(context, request, queryRefusal, cors);
            return false;
        }

        var lastEventId = request.Header("Last-Event-ID") ?? query!.LastEventId;
        if (lastEventId is not null && !SseQuery.IsEventId(lastEventId.Trim()))
        {
            Refuse(context, request, BadLastEventId, cors);
            return false;
        }

        // The quota check admitted the tenant, so it is known here.
        var tenant = Sessions.Tenants.Find(connection.Identity.Tenant)!;
        var tenantCounters = _tenantMetrics.For(tenant.Name);
        var symbols = query!.Symbols;
        if (symbols.Count > tenant.Options.MaxSubscriptionsPerClient)
        {
            Refuse(context, request, new WebSocketRefusal(400, ErrorCodes.TooManySymbols, $"at most {tenant.Options.MaxSubscriptionsPerClient} symbols for this tenant"), cors);
            return false;
        }

        var symbolIds = new int[symbols.Count];
        List<SymbolError>? errors = null;
        for (var i = 0; i < symbols.Count; i++)
        {
            if (SubscriptionRules.Check(tenant, Sessions.SymbolAdmission, NoSubscriptions, symbols[i], out symbolIds[i], out var reason) is { } code)
            {
                (errors ??= []).Add(new SymbolError(symbols[i], code, reason));
                Sessions.Counters.SymbolRefusals(code).Increment();
                tenantCounters.SymbolRefusals(code).Increment();
            }
        }

        if (errors is not null)
        {
            RefuseSymbols(context, request, errors, cors);
            return false;
        }

        var session = new SseSession(
            this,
            connection.Identity,
            tenant,
            tenantCounters,
            symbolIds,
            SubscriptionRules.IntervalTicks(tenant, query.MaxRate),
            ResponseHead(cors),
            reconnect: lastEventId is not null);
        StartStream(context, session, lease);
        return true;
    }

    private static void StartStream(IChannelHandlerContext context, SseSession session, IDisposable? lease)
    {
        var channel = context.Channel;
        var pipeline = channel.Pipeline;
        if (lease is not null)
        {
            channel.CloseCompletion.ContinueWith(static (_, state) => ((IDisposable)state!).Dispose(), lease, TaskScheduler.Default);
        }

        // http-decoder → handshake-timeout → http-endpoints becomes sse-stream alone: the stream has no more requests
        // to read, and no handshake clock (heartbeats and the slow-consumer policy watch it instead).
        if (pipeline.Get(HandshakeTimeoutHandler.HandlerName) is not null)
        {
            pipeline.Remove(HandshakeTimeoutHandler.HandlerName);
        }

        pipeline.Append(SseSession.HandlerName, session);
        pipeline.Remove(context.Handler);
        if (pipeline.Get<HttpRequestDecoder>() is { } decoder)
        {
            pipeline.Remove(decoder);
        }

        session.Start();
    }

    private void Preflight(IChannelHandlerContext context, HttpRequestHead request, string? origin, KeyValuePair<string, string>[] cors)
    {
        Counters.Preflights.Increment();
        if (origin is not null && !_admission.IsOriginAllowed(origin))
        {
            Refuse(context, request, EdgeWebSocketAdmission.OriginNotAllowed, []);
            return;
        }

        KeyValuePair<string, string>[] headers =
        [
            .. cors,
            new("Access-Control-Allow-Methods", "GET, OPTIONS"),
            new("Access-Control-Allow-Headers", "Authorization, Last-Event-ID, Cache-Control, Accept"),
            new("Access-Control-Max-Age", "600"),
            new("Allow", "GET, OPTIONS"),
        ];
        _ = HttpResponseWriter.WriteAsync(context, 200, "application/json", ReadOnlySpan<byte>.Empty, request.KeepAlive, headers);
    }

    /// <summary>CORS answer headers: the request's origin echoed when it may connect (no list: any may), else none.</summary>
    private KeyValuePair<string, string>[] CorsHeaders(string? origin)
    {
        if (origin is null || !_admission.IsOriginAllowed(origin))
        {
            return [];
        }

        return [new("Access-Control-Allow-Origin", origin.Trim()), new("Vary", "Origin")];
    }

    private void Refuse(IChannelHandlerContext context, HttpRequestHead request, WebSocketRefusal refusal, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        Counters.Refused(refusal.Status, refusal.Code);
        _ = HttpResponseWriter.WriteAsync(context, refusal.Status, "application/json", refusal.Body(), request.KeepAlive, headers);
    }

    /// <summary>400 (or 403 when every refusal is an entitlement) with each refused symbol, its code and why.</summary>
    private void RefuseSymbols(IChannelHandlerContext context, HttpRequestHead request, List<SymbolError> errors, KeyValuePair<string, string>[] cors)
    {
        var forbidden = true;
        foreach (var error in errors)
        {
            forbidden &= error.Code == ErrorCode.ForbiddenSymbol;
        }

        var status = forbidden ? 403 : 400;
        var code = ErrorCodes.WireName(errors[0].Code);
        var body = new ArrayBufferWriter<byte>(128);
        using (var json = new Utf8JsonWriter(body))
        {
            json.WriteStartObject();
            json.WriteString("error"u8, code);
            json.WriteString("message"u8, forbidden ? "not entitled to these symbols" : "some symbols cannot be streamed");
            json.WriteStartArray("symbols"u8);
            foreach (var error in errors)
            {
                json.WriteStartObject();
                json.WriteString("symbol"u8, error.Symbol);
                json.WriteString("code"u8, ErrorCodes.WireName(error.Code));
                json.WriteString("message"u8, error.Message);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        Counters.Refused(status, code);
        _ = HttpResponseWriter.WriteAsync(context, status, "application/json", body.WrittenSpan, request.KeepAlive, cors);
    }

    private static byte[] ResponseHead(KeyValuePair<string, string>[] cors)
    {
        var head = new StringBuilder(256);
        head.Append("HTTP/1.1 200 OK\r\n")
            .Append("Content-Type: text/event-stream; charset=utf-8\r\n")
            .Append("Cache-Control: no-cache\r\n")
            .Append("X-Accel-Buffering: no\r\n")
            .Append("Transfer-Encoding: chunked\r\n")
            .Append("Connection: keep-alive\r\n");
        foreach (var header in cors)
        {
            head.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
        }

        head.Append("\r\n");
        return Encoding.Latin1.GetBytes(head.ToString());
    }
}
