using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// HAProxy (Debian's) in the namespace, run from the checked-in deploy/haproxy/haproxy.cfg with only what the
/// namespace changes: the frontend address, the Edges' addresses, a source address for the Edge side (the one Edge
/// trusts for the PROXY protocol), a 1 s check interval instead of 2 s, and an admin socket the test reads
/// (<c>show stat</c>, <c>show sess</c>).
/// </summary>
internal sealed class ClusterBalancer : IDisposable
{
    /// <summary>HAProxy's address towards the Edges: a loopback address of its own, so only it is a trusted proxy.</summary>
    public static readonly IPAddress EdgeSideAddress = IPAddress.Parse("127.0.0.2");

    private readonly string _statsSocket;

    private ClusterBalancer(ClusterProcess process, IPEndPoint frontend, string statsSocket, string configuration)
    {
        Process = process;
        Frontend = frontend;
        _statsSocket = statsSocket;
        Configuration = configuration;
    }

    public ClusterProcess Process { get; }

    /// <summary>Where clients connect.</summary>
    public IPEndPoint Frontend { get; }

    /// <summary>The configuration it runs, for failure messages.</summary>
    public string Configuration { get; }

    /// <summary>The haproxy executable, or null when it is not installed.</summary>
    public static string? Executable()
    {
        foreach (var candidate in new[] { "/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static ClusterBalancer Start(NetworkNamespace networkNamespace, string directory, int frontendPort, IReadOnlyList<ClusterEdge> edges)
    {
        var statsSocket = Path.Combine(directory, "haproxy.sock");
        var configuration = Configure(File.ReadAllText(DeployedConfiguration()), frontendPort, statsSocket, edges);
        var path = Path.Combine(directory, "haproxy.cfg");
        File.WriteAllText(path, configuration);
        var process = ClusterProcess.Start("haproxy", networkNamespace.Command(Executable()!, ["-db", "-f", path]));
        return new ClusterBalancer(process, new IPEndPoint(IPAddress.Loopback, frontendPort), statsSocket, configuration);
    }

    /// <summary>Each server's status (<c>UP</c>, <c>DOWN</c>, <c>UP 1/2</c> while going down, …) from <c>show stat</c>.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ServerStatusAsync()
    {
        var lines = (await CommandAsync("show stat")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0)
        {
            return new Dictionary<string, string>();
        }

        var header = lines[0].TrimStart('#', ' ').Split(',');
        var proxy = Array.IndexOf(header, "pxname");
        var server = Array.IndexOf(header, "svname");
        var status = Array.IndexOf(header, "status");
        var states = new Dictionary<string, string>();
        foreach (var line in lines.Skip(1))
        {
            var fields = line.Split(',');
            if (fields.Length > status && fields[proxy] == "edges" && fields[server] is not ("BACKEND" or "FRONTEND"))
            {
                states[fields[server]] = fields[status];
            }
        }

        return states;
    }

    /// <summary>The client connections it carries to an Edge, from <c>show sess</c>.</summary>
    public async Task<IReadOnlyList<BalancerSession>> SessionsAsync()
    {
        var sessions = new List<BalancerSession>();
        foreach (var line in (await CommandAsync("show sess")).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            string? source = null;
            string? server = null;
            foreach (var field in line.Split(' '))
            {
                if (field.StartsWith("src=", StringComparison.Ordinal))
                {
                    source = field[4..];
                }
                else if (field.StartsWith("srv=", StringComparison.Ordinal))
                {
                    server = field[4..];
                }
            }

            if (source is not null && server is not null && server != "<none>")
            {
                sessions.Add(new BalancerSession(source, server));
            }
        }

        return sessions;
    }

    public void Dispose() => Process.Dispose();

    /// <summary>HAProxy's answer to one command on its admin socket; empty while it has not made the socket yet.</summary>
    private async Task<string> CommandAsync(string command)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(_statsSocket), bound.Token);
        }
        catch (SocketException) when (!Process.HasExited)
        {
            // Still starting: no socket file yet (ENOENT), or not listening on it yet.
            return string.Empty;
        }

        await socket.SendAsync(Encoding.ASCII.GetBytes(command + "\n"), SocketFlags.None, bound.Token);
        var answer = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int count;
        // Not in interactive mode, HAProxy answers one command and closes.
        while ((count = await socket.ReceiveAsync(buffer, SocketFlags.None, bound.Token)) > 0)
        {
            answer.Write(buffer, 0, count);
        }

        return Encoding.ASCII.GetString(answer.ToArray());
    }

    /// <summary>The deployed file, changed only where the namespace needs it; each change must find its line.</summary>
    private static string Configure(string deployed, int frontendPort, string statsSocket, IReadOnlyList<ClusterEdge> edges)
    {
        var servers = new StringBuilder();
        servers.Append(CultureInfo.InvariantCulture, $"    source {EdgeSideAddress}\n");
        foreach (var edge in edges)
        {
            servers.Append(CultureInfo.InvariantCulture, $"    server {edge.Name} {IPAddress.Loopback}:{edge.Port}\n");
        }

        var configured = new StringBuilder();
        var serversWritten = false;
        foreach (var line in deployed.ReplaceLineEndings("\n").Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith("server ", StringComparison.Ordinal))
            {
                if (!serversWritten)
                {
                    configured.Append(servers);
                    serversWritten = true;
                }

                continue;
            }

            configured.Append(line).Append('\n');
            if (trimmed == "global")
            {
                configured.Append(CultureInfo.InvariantCulture, $"    stats socket {statsSocket} mode 600 level admin\n");
            }
        }

        Assert.That(serversWritten, Is.True, "deploy/haproxy/haproxy.cfg has server lines to replace");
        var text = configured.ToString();
        text = ReplaceOnce(text, "maxconn 200000", "maxconn 2000");
        text = ReplaceOnce(text, "bind :8080", string.Create(CultureInfo.InvariantCulture, $"bind {IPAddress.Loopback}:{frontendPort}"));
        text = ReplaceOnce(text, "check inter 2s fall 2 rise 2", "check inter 1s fall 2 rise 2");
        return text;
    }

    private static string ReplaceOnce(string text, string deployed, string replacement)
    {
        Assert.That(text, Does.Contain(deployed), $"deploy/haproxy/haproxy.cfg still has '{deployed}' (the cluster test adapts that line)");
        return text.Replace(deployed, replacement, StringComparison.Ordinal);
    }

    private static string DeployedConfiguration()
    {
        const string relative = "deploy/haproxy/haproxy.cfg";
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var path = Path.Combine(directory.FullName, relative);
            if (File.Exists(path))
            {
                return path;
            }
        }

        Assert.Fail($"{relative} not found above {AppContext.BaseDirectory}");
        return string.Empty;
    }
}
