using Edge.Server.Auth;
using Edge.Server.Demo;
using Edge.Server.FanOut;
using Edge.Server.Metrics;
using Edge.Server.Sessions;
using Edge.Server.SocketIo;
using Edge.Server.Sse;
using Edge.Server.Tenants;
using Edge.Server.WebSockets;

namespace Edge.Server.Configuration;

/// <summary>
/// Edge's configuration, bound from appsettings.json, <c>EDGE_</c>-prefixed environment variables and the
/// command line (in rising priority). <c>--port 8080</c> and <c>EDGE_PORT=8080</c> both set <see cref="Port"/>.
/// </summary>
public sealed class EdgeOptions
{
    /// <summary>The TCP port for WebSocket, SSE, health and metrics (metrics and health also on <c>Metrics:Port</c> when set).</summary>
    public int Port { get; set; } = 8080;

    /// <summary>
    /// The address to listen on; 0.0.0.0 for all IPv4 interfaces. In demo mode <see cref="DemoBindAddress"/> unless
    /// set explicitly (<see cref="EdgeConfigurationLoader.Bind"/> applies that).
    /// </summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Where demo mode listens when no BindAddress is configured: loopback, since it gives tokens to anyone.</summary>
    public const string DemoBindAddress = "127.0.0.1";

    /// <summary>Event loops for connections; 0 means one per core.</summary>
    public int EventLoops { get; set; }

    /// <summary>Seconds to wait for clients to finish their close handshakes at shutdown.</summary>
    public int DrainTimeoutSeconds { get; set; } = 10;

    public IngestOptions Ingest { get; set; } = new();

    public FanOutOptions FanOut { get; set; } = new();

    public DemoFeedOptions Demo { get; set; } = new();

    public AuthOptions Auth { get; set; } = new();

    public LoggingOptions Log { get; set; } = new();

    public SessionOptions Session { get; set; } = new();

    public TenancyOptions Tenancy { get; set; } = new();

    /// <summary>The WebSocket transport (section <c>WebSocket</c>): paths, message limit, handshake and close timeouts, origins.</summary>
    public WebSocketOptions WebSocket { get; set; } = new();

    /// <summary>The Server-Sent Events stream (section <c>Sse</c>): on by default, heartbeat, retry advice, symbols per stream.</summary>
    public SseOptions Sse { get; set; } = new();

    /// <summary>The socket.io endpoint (section <c>SocketIo</c>) for front ends on the original gateway's SDK: on by default.</summary>
    public SocketIoOptions SocketIo { get; set; } = new();

    /// <summary>Access to /metrics (section <c>Metrics</c>): a separate listener and/or a bearer token.</summary>
    public MetricsOptions Metrics { get; set; } = new();

    /// <summary>TLS on the server port (section <c>Tls</c>): certificate and key PEM files, reloaded on SIGHUP.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>The connection layer (section <c>Server</c>): the balancers trusted to send a PROXY protocol header.</summary>
    public ServerOptions Server { get; set; } = new();

    /// <summary>
    /// Checks the values; returns human-readable problems, empty when valid. Run it after
    /// <see cref="Demo.DemoAuth.Prepare"/>, which supplies demo mode's development key.
    /// </summary>
    public List<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65535)
        {
            errors.Add($"Port must be between 0 and 65535 (got {Port}).");
        }

        if (!System.Net.IPAddress.TryParse(BindAddress, out _))
        {
            errors.Add($"BindAddress must be an IP address (got '{BindAddress}').");
        }

        if (EventLoops < 0)
        {
            errors.Add($"EventLoops must be 0 (one per core) or more (got {EventLoops}).");
        }

        if (DrainTimeoutSeconds < 0)
        {
            errors.Add($"DrainTimeoutSeconds must not be negative (got {DrainTimeoutSeconds}).");
        }

        errors.AddRange(Ingest.Validate());
        errors.AddRange(FanOut.Validate());
        if (string.Equals(Ingest.ReceiveOn?.Trim(), IngestOptions.ReceiveOnLoop, StringComparison.OrdinalIgnoreCase) && !FanOut.InlineFrameStage)
        {
            // The loop that receives would wait for a full ring that only it can drain (through the frame stage's thread).
            errors.Add($"Ingest:ReceiveOn=loop needs FanOut:FrameStage=inline (got '{FanOut.FrameStage}').");
        }

        errors.AddRange(Demo.Validate());
        errors.AddRange(Log.Validate());
        errors.AddRange(Session.Validate());
        errors.AddRange(Tenancy.Validate());
        errors.AddRange(Auth.Validate());
        WebSocket.Validate(errors);
        Sse.Validate(errors);
        SocketIo.Validate(errors);
        if (Sse.Enabled && string.Equals(Sse.Path, WebSocket.Path, StringComparison.Ordinal))
        {
            errors.Add($"Sse:Path must differ from WebSocket:Path (both '{Sse.Path}').");
        }
        Tls.Validate(errors);
        Metrics.Validate(errors, Port);
        Server.Validate(errors);
        return errors;
    }
}
