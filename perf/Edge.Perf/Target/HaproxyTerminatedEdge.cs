using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Edge.Perf.Target;

/// <summary>
/// TLS terminated by HAProxy (mode tcp, one thread, pinned to Edge's CPU so the server side's cost is compared on one
/// core) in front of a plain Edge: the clients connect to HAProxy over TLS, /metrics and the feed go to Edge directly.
/// The CPU and RSS sampled are HAProxy's plus Edge's.
/// </summary>
internal sealed class HaproxyTerminatedEdge : IServerUnderTest
{
    public const string Binary = "haproxy";

    private readonly IServerUnderTest _edge;
    private readonly Process _haproxy;

    private HaproxyTerminatedEdge(IServerUnderTest edge, Process haproxy, IPEndPoint endpoint)
    {
        _edge = edge;
        _haproxy = haproxy;
        ClientEndpoint = endpoint;
        Description = $"haproxy (pid {haproxy.Id}, TLS on {endpoint}, mode tcp, nbthread 1) → {edge.Description}";
    }

    public Uri BaseUri => _edge.BaseUri;

    public IPEndPoint Ingest => _edge.Ingest;

    /// <summary>Edge's pid (HAProxy's is in <see cref="ExtraPids"/>); null for an Edge the tool did not start.</summary>
    public int? Pid => _edge.Pid;

    public string Description { get; }

    public IPEndPoint ClientEndpoint { get; }

    public bool ClientTls => true;

    public IReadOnlyList<int> ExtraPids => [_haproxy.Id];

    /// <summary>The haproxy binary on PATH (null: not installed; scripts/setup installs it).</summary>
    public static string? Find()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':').Concat(["/usr/sbin", "/usr/local/sbin"]))
        {
            var candidate = Path.Combine(directory, Binary);
            if (directory.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>Starts HAProxy in the foreground in front of <paramref name="edge"/> (which must be plain) and waits until it accepts connections.</summary>
    public static async Task<HaproxyTerminatedEdge> StartAsync(IServerUnderTest edge, SelfSignedCertificate certificate, int? cpu, string directory)
    {
        var binary = Find() ?? throw new InvalidOperationException("haproxy is not installed (apt-get install haproxy; scripts/setup does it)");
        var port = ChildProcesses.FreePort(SocketType.Stream, ProtocolType.Tcp);
        var edgeEndpoint = edge.ClientEndpoint;
        var config = Path.Combine(directory, "haproxy.cfg");
        // mode tcp: WebSocket frames pass as bytes; timeouts long enough for a run; no logging on the hot path. No
        // maxconn: HAProxy derives it from its open-file limit (the tool's, raised for the run), two fds per connection.
        await File.WriteAllTextAsync(config, $"""
            global
                nbthread 1
            defaults
                mode tcp
                timeout connect 5s
                timeout client 1h
                timeout server 1h
            frontend tls_in
                bind 127.0.0.1:{port} ssl crt {certificate.CombinedPath}
                default_backend edge
            backend edge
                server edge {edgeEndpoint}

            """);
        var logPath = Path.Combine(directory, "haproxy.log");
        var process = ChildProcesses.StartPinned(binary, ["-db", "-f", config], cpu, logPath);
        var endpoint = new IPEndPoint(IPAddress.Loopback, port);
        var deadline = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while (true)
        {
            if (process.HasExited)
            {
                var code = process.ExitCode;
                process.Dispose();
                throw new InvalidOperationException($"haproxy exited with code {code} at start; log: {logPath}");
            }

            using (var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                try
                {
                    await probe.ConnectAsync(endpoint);
                    return new HaproxyTerminatedEdge(edge, process, endpoint);
                }
                catch (SocketException)
                {
                    // not listening yet
                }
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                ChildProcesses.Kill(process);
                process.Dispose();
                throw new InvalidOperationException($"haproxy did not listen on {endpoint} within 30 s; log: {logPath}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Stops HAProxy (SIGTERM: it exits at once), then Edge.</summary>
    public async ValueTask DisposeAsync()
    {
        await ChildProcesses.TerminateAsync(_haproxy, TimeSpan.FromSeconds(5));
        _haproxy.Dispose();
        await _edge.DisposeAsync();
    }
}
