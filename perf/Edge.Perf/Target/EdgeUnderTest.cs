using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Edge.Perf.Target;

/// <summary>
/// The Edge a run drives: a process the tool starts (optionally pinned with <c>taskset</c>), configured with a
/// known HS256 key so the tool can mint tokens, or an Edge already running at a URL.
/// </summary>
internal sealed class EdgeUnderTest : IServerUnderTest
{
    private readonly Process? _process;

    private EdgeUnderTest(Uri baseUri, IPEndPoint ingest, int? pid, Process? process, string? logPath)
    {
        BaseUri = baseUri;
        Ingest = ingest;
        Pid = pid;
        _process = process;
        LogPath = logPath;
    }

    public Uri BaseUri { get; }

    public IPEndPoint Ingest { get; }

    /// <summary>The process to sample from /proc (null: unknown, only /metrics is read).</summary>
    public int? Pid { get; }

    public string? LogPath { get; }

    public bool Started => _process is not null;

    public string Description { get; private set; } = string.Empty;

    public static EdgeUnderTest Existing(Uri baseUri, IPEndPoint ingest, int? pid) =>
        new(baseUri, ingest, pid, null, null) { Description = $"{baseUri} (existing)" };

    /// <summary>
    /// Starts the Edge binary at <see cref="PerfOptions.EdgePath"/> on free loopback ports and waits for <c>/healthz</c>;
    /// with <paramref name="tls"/>, Edge speaks TLS on its port (<c>Tls:Enabled</c>) with that certificate.
    /// </summary>
    public static async Task<EdgeUnderTest> StartAsync(PerfOptions options, string secret, string logPath, SelfSignedCertificate? tls = null)
    {
        var port = ChildProcesses.FreePort(SocketType.Stream, ProtocolType.Tcp);
        var ingestPort = ChildProcesses.FreePort(SocketType.Dgram, ProtocolType.Udp);
        var arguments = new List<string>
        {
            "--Port", port.ToString(CultureInfo.InvariantCulture),
            "--BindAddress", "127.0.0.1",
            "--EventLoops", options.EventLoops.ToString(CultureInfo.InvariantCulture),
            "--Demo:Enabled", "false",
            "--Ingest:Endpoint", $"127.0.0.1:{ingestPort}",
            "--Auth:Issuer", options.Issuer,
            "--Auth:Audience", options.Audience,
            "--Auth:Keys:0:Kid", options.Kid,
            "--Auth:Keys:0:Algorithm", "HS256",
            "--Auth:Keys:0:Secret", secret,
            "--Tenancy:Default:MaxConnections", "1000000",
            "--Tenancy:Default:MaxSubscriptionsPerClient", Math.Max(100, options.SymbolsPerConnection).ToString(CultureInfo.InvariantCulture),
            "--Tenancy:MaxConnectionsPerIp", "1000000",
            "--Session:IdleTimeoutSeconds", "3600",
            "--Log:Level", "Warning",
        };
        if (tls is not null)
        {
            arguments.AddRange(["--Tls:Enabled", "true", "--Tls:CertificatePath", tls.CertificatePath, "--Tls:KeyPath", tls.KeyPath]);
        }

        arguments.AddRange(options.EdgeArguments);

        var process = ChildProcesses.StartPinned(Path.GetFullPath(options.EdgePath!), arguments, options.EdgeCpu, logPath);
        var edge = new EdgeUnderTest(new Uri($"{(tls is null ? "http" : "https")}://127.0.0.1:{port}"), new IPEndPoint(IPAddress.Loopback, ingestPort), process.Id, process, logPath);
        edge.Description = $"{options.EdgePath} (pid {edge.Pid}, {edge.BaseUri}, ingest {edge.Ingest})";
        using var http = LoopbackHttp.Create(TimeSpan.FromSeconds(2));
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"edge exited with code {process.ExitCode} at start; log: {logPath}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri(edge.BaseUri, "/healthz"));
                if (response.IsSuccessStatusCode)
                {
                    return edge;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                await edge.DisposeAsync();
                throw new InvalidOperationException($"edge did not answer /healthz within 30 s; log: {logPath}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>SIGTERM (Edge drains and exits 0), then SIGKILL after 15 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        await ChildProcesses.TerminateAsync(_process, TimeSpan.FromSeconds(15));
        _process.Dispose();
    }
}
