using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Edge.Server.Auth;

namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// Three Edge processes in a network namespace of their own, HAProxy in front, one publisher feeding them over the
/// channel under test, and the clients. Everything waits on conditions, each bounded by <see cref="WaitBound"/>;
/// <see cref="DisposeAsync"/> stops and kills every part, whatever state the test left it in, and deletes the
/// namespace.
/// </summary>
internal sealed class EdgeCluster : IAsyncDisposable
{
    public const int Instances = 3;
    public static readonly TimeSpan WaitBound = TimeSpan.FromSeconds(40);
    public static readonly IReadOnlyList<string> Symbols = ["CLA/USD", "CLB/USD", "CLC/USD", "CLD/USD", "CLE/USD", "CLF/USD", "CLG/USD", "CLH/USD"];

    private const int RoundsPerSecond = 50;
    private readonly List<ClusterEdge> _edges = [];
    private readonly List<IClusterClient> _clients = [];
    private readonly DevTokenIssuer _tokens;
    private DirectoryInfo? _directory;

    private EdgeCluster(NetworkNamespace networkNamespace)
    {
        Namespace = networkNamespace;
        Http = networkNamespace.CreateHttpClient();
        _tokens = new DevTokenIssuer(new AuthOptions { Issuer = "edge-cluster-test", Audience = "edge" });
    }

    public NetworkNamespace Namespace { get; }

    public HttpClient Http { get; }

    public ClusterStream Stream { get; private set; } = null!;

    public ClusterPublisher Publisher { get; private set; } = null!;

    public ClusterBalancer Balancer { get; private set; } = null!;

    public IReadOnlyList<ClusterEdge> Edges => _edges;

    public IReadOnlyList<IClusterClient> Clients => _clients;

    /// <summary>Makes the namespace and starts everything; waits until every Edge is ready and HAProxy has them all UP.</summary>
    public static async Task<EdgeCluster> StartAsync(ClusterChannel channel, string binary)
    {
        var cluster = new EdgeCluster(NetworkNamespace.Create());
        try
        {
            await cluster.BootAsync(channel, binary);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// One more client through HAProxy, from its own loopback address: every other one on the .NET SDK, the rest raw
    /// WebSocket clients. Returns once it is subscribed.
    /// </summary>
    public async Task<IClusterClient> AddClientAsync()
    {
        var number = _clients.Count + 1;
        var source = IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"127.0.0.{10 + number}"));
        var token = _tokens.Issue("trader-" + number.ToString(CultureInfo.InvariantCulture), "tenant-a", TimeSpan.FromMinutes(30));
        IClusterClient client = number % 2 == 0
            ? new SdkClusterClient(number, Namespace, source, Balancer.Frontend, token, Symbols)
            : new ClusterClient(number, Namespace, source, Balancer.Frontend, token, Symbols);
        _clients.Add(client);
        client.Start();
        await WaitAsync($"{client.Name} connected through HAProxy and subscribed", () => client.Subscribed);
        return client;
    }

    /// <summary>Which Edge each connected client is on, from HAProxy's <c>show sess</c> (absent: not connected now).</summary>
    public async Task<IReadOnlyDictionary<IClusterClient, string>> PlacementAsync()
    {
        var servers = new Dictionary<string, string>();
        foreach (var session in await Balancer.SessionsAsync())
        {
            servers[session.Source] = session.Server;
        }

        var placement = new Dictionary<IClusterClient, string>();
        foreach (var client in _clients)
        {
            if (client.Address is { } address && servers.TryGetValue(address, out var server))
            {
                placement[client] = server;
            }
        }

        return placement;
    }

    /// <summary>HAProxy's status of one Edge (<c>UP</c>, <c>DOWN</c>, …).</summary>
    public async Task<string> StatusAsync(ClusterEdge edge) =>
        (await Balancer.ServerStatusAsync()).TryGetValue(edge.Name, out var status) ? status : "(absent)";

    /// <summary>Ready (/readyz 200), reached by the publisher where the channel can tell, and UP in HAProxy.</summary>
    public async Task<bool> IsServingAsync(ClusterEdge edge) =>
        edge.IsRunning
        && await edge.ReadinessAsync(Http) == 200
        && (Stream.Reaches(_edges.IndexOf(edge)) ?? true)
        && await StatusAsync(edge) == "UP";

    /// <summary>
    /// The publisher's last values reach every client: the pacing pauses, every running Edge must be reached, one more
    /// round goes out, and every client's current connection must end on it for every symbol. Then no client may
    /// have seen a wrong or out-of-order price so far.
    /// </summary>
    public async Task CheckpointAsync(string phase)
    {
        Publisher.Pause();
        try
        {
            await WaitAsync($"{phase}: the publisher reaches every running Edge", () =>
            {
                for (var i = 0; i < _edges.Count; i++)
                {
                    if (_edges[i].IsRunning && Stream.Reaches(i) == false)
                    {
                        return false;
                    }
                }

                return true;
            });
            var last = Publisher.PublishRound();
            await WaitAsync($"{phase}: every client ends on the publisher's last price of every symbol", () => _clients.TrueForAll(c => c.IsAt(last)));
        }
        finally
        {
            Publisher.Resume();
        }

        AssertNoViolations(phase);
        TestContext.Progress.WriteLine($"cluster: {phase}: {_clients.Count} clients on the publisher's last prices ({Publisher.Rounds} rounds)");
    }

    public void AssertNoViolations(string phase)
    {
        var violations = new StringBuilder();
        foreach (var client in _clients)
        {
            foreach (var violation in client.Violations.Take(5))
            {
                violations.Append(client.Name).Append(": ").AppendLine(violation);
            }
        }

        Assert.That(violations.ToString(), Is.Empty, $"{phase}: every price a client saw is the publisher's, in order");
    }

    public Task WaitAsync(string what, Func<bool> condition) => WaitAsync(what, () => Task.FromResult(condition()));

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with the cluster's state after <see cref="WaitBound"/>.</summary>
    public async Task WaitAsync(string what, Func<Task<bool>> condition)
    {
        using var bound = new CancellationTokenSource(WaitBound);
        while (!await condition())
        {
            if (bound.IsCancellationRequested)
            {
                Assert.Fail($"{what}: not within {WaitBound.TotalSeconds} s.\n{await DescribeAsync()}");
            }

            if (Publisher?.Failure is { } failure)
            {
                Assert.Fail($"the publisher failed while waiting for: {what}: {failure}\n{await DescribeAsync()}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Everything a failure message needs: HAProxy's view, the publisher, every client, the processes' last lines.</summary>
    public async Task<string> DescribeAsync()
    {
        var text = new StringBuilder();
        try
        {
            text.Append("HAProxy:");
            foreach (var (server, status) in await Balancer.ServerStatusAsync())
            {
                text.Append(' ').Append(server).Append('=').Append(status);
            }

            text.AppendLine();
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or NullReferenceException)
        {
            text.AppendLine("HAProxy's stats socket did not answer: " + e.Message);
        }

        if (Publisher is not null)
        {
            text.AppendLine(Publisher.Describe());
        }

        foreach (var client in _clients)
        {
            text.AppendLine(client.Describe());
        }

        foreach (var edge in _edges)
        {
            text.Append(CultureInfo.InvariantCulture, $"{edge.Name} (port {edge.Port}, running={edge.IsRunning}):\n{edge.Process?.Output}");
        }

        if (Balancer is not null)
        {
            text.Append("haproxy:\n").Append(Balancer.Process.Output);
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        // Clients first (no reconnection storm while the rest goes), then the feed, then the processes.
        foreach (var client in _clients)
        {
            await Quietly(async () => await client.DisposeAsync());
        }

        await Quietly(() =>
        {
            Publisher?.Dispose();
            return Task.CompletedTask;
        });
        await Quietly(() =>
        {
            Stream?.Dispose();
            return Task.CompletedTask;
        });
        Balancer?.Dispose();
        foreach (var edge in _edges)
        {
            edge.Dispose();
        }

        Namespace.Dispose();
        Http.Dispose();
        await Quietly(() =>
        {
            _directory?.Delete(recursive: true);
            return Task.CompletedTask;
        });
    }

    private static async Task Quietly(Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception e)
        {
            // Clean-up goes on: the processes and the namespace must go whatever failed before.
            await TestContext.Progress.WriteLineAsync("cluster: clean-up step failed: " + e.Message);
        }
    }

    private async Task BootAsync(ClusterChannel channel, string binary)
    {
        _directory = Directory.CreateTempSubdirectory("edge-cluster-");
        Stream = channel.Open(Namespace, Instances);
        var ports = FreeTcpPorts(Instances + 1);
        for (var i = 0; i < Instances; i++)
        {
            var edge = new ClusterEdge(Namespace, binary, "edge" + (i + 1).ToString(CultureInfo.InvariantCulture), ports[i],
                [.. EdgeArguments(ports[i]), .. Stream.IngestArguments(i)]);
            _edges.Add(edge);
            edge.Start();
        }

        Publisher = new ClusterPublisher(Stream.Publications, Symbols, RoundsPerSecond);
        Publisher.Start();
        Balancer = ClusterBalancer.Start(Namespace, _directory.FullName, ports[Instances], _edges);
        foreach (var edge in _edges)
        {
            await WaitAsync($"{edge.Name} ready and UP in HAProxy", () => IsServingAsync(edge));
        }
    }

    private string[] EdgeArguments(int port) =>
    [
        "--Demo:Enabled", "false",
        "--BindAddress", IPAddress.Loopback.ToString(),
        "--Port", port.ToString(CultureInfo.InvariantCulture),
        "--Auth:Issuer", "edge-cluster-test",
        "--Auth:Audience", "edge",
        "--Auth:Keys:0:Kid", _tokens.Kid,
        "--Auth:Keys:0:Algorithm", "HS256",
        "--Auth:Keys:0:Secret", _tokens.SecretBase64,
        "--Server:TrustedProxies:0", ClusterBalancer.EdgeSideAddress.ToString(),
        "--DrainTimeoutSeconds", "5",
        "--Log:Format", "text",
    ];

    /// <summary>TCP ports the namespace's kernel picks, all held until all are picked so they differ.</summary>
    private int[] FreeTcpPorts(int count)
    {
        var probes = new List<Socket>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var probe = Namespace.Socket(SocketType.Stream, ProtocolType.Tcp);
                probes.Add(probe);
                probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }

            return [.. probes.Select(p => ((IPEndPoint)p.LocalEndPoint!).Port)];
        }
        finally
        {
            foreach (var probe in probes)
            {
                probe.Dispose();
            }
        }
    }
}
