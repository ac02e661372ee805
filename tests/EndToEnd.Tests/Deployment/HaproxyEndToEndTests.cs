using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Edge.EndToEnd.Tests.Support;

namespace Edge.EndToEnd.Tests.Deployment;

/// <summary>
/// A real HAProxy (Debian's, installed by scripts/setup) in TCP mode with send-proxy-v2 and /readyz checks, on
/// loopback in front of a real Edge. Clients connect from other loopback addresses (127.0.0.2, 127.0.0.3), so the
/// address Edge must use for quotas differs from the balancer's (127.0.0.1).
/// </summary>
public sealed class HaproxyEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string Haproxy()
    {
        foreach (var candidate in new[] { "/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        Assert.Ignore("haproxy is not installed (scripts/setup installs Debian's haproxy): the HAProxy tests are skipped.");
        return string.Empty;
    }

    private static string RepositoryFile(string relative)
    {
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

    [Test]
    public async Task The_deployed_configuration_is_valid()
    {
        var haproxy = Haproxy();
        using var check = Process.Start(new ProcessStartInfo(haproxy, ["-c", "-f", RepositoryFile("deploy/haproxy/haproxy.cfg")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using var cts = new CancellationTokenSource(Timeout);
        var output = check.StandardOutput.ReadToEndAsync(cts.Token);
        var errors = check.StandardError.ReadToEndAsync(cts.Token);
        await check.WaitForExitAsync(cts.Token);

        Assert.That(check.ExitCode, Is.Zero, await output + await errors);
    }

    [Test]
    public async Task Clients_through_haproxy_count_as_themselves_for_the_per_address_quota()
    {
        var haproxy = Haproxy();
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.Tenancy.MaxConnectionsPerIp = 1;
            o.Server.TrustedProxies.Add("127.0.0.1");
        });
        edge.Server.Health.SetFeedUp(true);
        var directory = Directory.CreateTempSubdirectory("edge-haproxy-");
        var frontend = FreePort();
        var config = Path.Combine(directory.FullName, "haproxy.cfg");
        // The deployed file's settings that matter here, on loopback; checks every 300 ms so the server is UP soon.
        await File.WriteAllTextAsync(config, $"""
            global
                maxconn 1000
            defaults
                mode tcp
                timeout connect 5s
                timeout client 30s
                timeout server 30s
                timeout tunnel 1h
            frontend edge_clients
                bind 127.0.0.1:{frontend}
                default_backend edges
            backend edges
                balance leastconn
                option httpchk GET /readyz
                http-check expect status 200
                default-server send-proxy-v2 check-send-proxy check inter 300ms fall 2 rise 1
                server edge1 127.0.0.1:{edge.EndPoint.Port}

            """);
        var log = new StringBuilder();
        using var process = new Process { StartInfo = new ProcessStartInfo(haproxy, ["-db", "-f", config]) { RedirectStandardOutput = true, RedirectStandardError = true } };
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var sockets = new List<Socket>();
        try
        {
            var through = new IPEndPoint(IPAddress.Loopback, frontend);
            // HAProxy starts and marks Edge UP after its first /readyz check: retry until the first client is through.
            var first = await UpgradeUntilThroughAsync(edge, through, IPAddress.Parse("127.0.0.2"), sockets, log);
            var (second, _) = await UpgradeAsync(edge, through, IPAddress.Parse("127.0.0.3"), sockets);
            var (sameAsFirst, body) = await UpgradeAsync(edge, through, IPAddress.Parse("127.0.0.2"), sockets);

            Assert.Multiple(() =>
            {
                Assert.That(first, Is.EqualTo(101));
                Assert.That(second, Is.EqualTo(101), "a second client address behind the same balancer has its own quota");
                Assert.That(sameAsFirst, Is.EqualTo(429), "the first client's address has used its quota of 1: " + body);
            });
            var metrics = await RawHttp.GetAsync(edge.EndPoint, "/metrics");
            Assert.That(metrics.Status, Is.EqualTo(400), "Edge refuses the trusted balancer's address without a header, also for /metrics");
            var (status, metricsBody) = await GetThroughAsync(through, "/metrics");
            Assert.That(status, Is.EqualTo(200));
            Assert.That(metricsBody, Does.Match("edge_proxy_protocol_total\\{result=\"accepted_v2\"\\} ([3-9]|[1-9][0-9]+)\n"));
            Assert.That(metricsBody, Does.Match("edge_proxy_protocol_total\\{result=\"accepted_local\"\\} [1-9]"), "HAProxy's checks send v2 LOCAL headers");
        }
        finally
        {
            foreach (var socket in sockets)
            {
                socket.Dispose();
            }

            if (!process.HasExited)
            {
                process.Kill();
            }

            await process.WaitForExitAsync(new CancellationTokenSource(Timeout).Token);
            directory.Delete(recursive: true);
        }
    }

    // The OS picks a free port; HAProxy binds it right after (a small race with other processes, as with any fixed port).
    private static int FreePort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private static async Task<int> UpgradeUntilThroughAsync(RunningEdge edge, IPEndPoint through, IPAddress source, List<Socket> sockets, StringBuilder log)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        while (true)
        {
            try
            {
                var (status, _) = await UpgradeAsync(edge, through, source, sockets);
                if (status == 101)
                {
                    return status;
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException && !deadline.IsCancellationRequested)
            {
                // Not listening yet, or no server UP yet (HAProxy closes the connection).
            }

            if (deadline.IsCancellationRequested)
            {
                lock (log)
                {
                    Assert.Fail("no WebSocket upgrade through HAProxy in time; its output:\n" + log);
                }
            }

            await Task.Delay(100);
        }
    }

    private static async Task<(int Status, string Head)> UpgradeAsync(RunningEdge edge, IPEndPoint through, IPAddress source, List<Socket> sockets)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        sockets.Add(socket);
        socket.Bind(new IPEndPoint(source, 0));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(through, cts.Token);
        var request = $"GET /market-data?token={edge.Token()} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cts.Token);
        var head = await ReadHeadAsync(socket, cts.Token);
        return (int.Parse(head.Split(' ')[1], CultureInfo.InvariantCulture), head);
    }

    private static async Task<(int Status, string Body)> GetThroughAsync(IPEndPoint through, string path)
    {
        using var client = await RawHttp.ConnectAsync(through);
        await client.SendAsync($"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        var response = await client.ReadResponseAsync();
        return (response.Status, response.Body);
    }

    private static async Task<string> ReadHeadAsync(Socket socket, CancellationToken cancellation)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var count = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellation);
            if (count == 0)
            {
                throw new IOException("closed before a response head");
            }

            received.AddRange(buffer.AsSpan(0, count));
            var text = Encoding.Latin1.GetString([.. received]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                return text[..end];
            }
        }
    }
}
