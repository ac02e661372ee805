using Edge.EndToEnd.Tests.Deployment;

namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// Several Edges behind a real L4 balancer (docs/operations.md, "Several instances", "What the cluster test checks"):
/// three published binaries in a network namespace of the test's own, HAProxy from deploy/haproxy in front with the
/// PROXY protocol v2 and /readyz checks, one publisher, clients through HAProxy; then one Edge is killed, one
/// drained, both restarted, and one stalled, and every client must end on the publisher's last prices, in order.
/// </summary>
/// <remarks>Needs root (a network namespace), iproute2 and HAProxy, and the binary scripts/test publishes; skipped otherwise.</remarks>
public sealed class ClusterTests
{
    private const int FirstClients = 9;
    private const int LaterClients = 4;

    /// <summary>The channels the cluster runs on; multicast and dynamic MDC join here once Edge's receiver has them.</summary>
    private static readonly ClusterChannel[] ChannelCases =
    [
        new("unicast-mdc", UnicastDestinationsStream.Open),
    ];

    private static IEnumerable<string> Channels() => ChannelCases.Select(c => c.Name);

    [TestCaseSource(nameof(Channels))]
    public async Task Three_edges_behind_haproxy_keep_every_client_on_the_publishers_prices_through_a_kill_a_drain_a_restart_and_a_stall(string channelName)
    {
        var unavailable = NetworkNamespace.Unavailable()
            ?? (ClusterBalancer.Executable() is null ? "haproxy is not installed (scripts/setup installs Debian's haproxy)" : null);
        if (unavailable is not null)
        {
            Assert.Ignore($"The cluster test cannot run here: {unavailable}.");
        }

        var binary = EdgeBinary.Path();
        var channel = ChannelCases.Single(c => c.Name == channelName);
        await using var cluster = await EdgeCluster.StartAsync(channel, binary);
        var edge1 = cluster.Edges[0];
        var edge2 = cluster.Edges[1];
        var edge3 = cluster.Edges[2];

        // Clients through HAProxy: leastconn spreads them; every instance serves the same prices.
        for (var i = 0; i < FirstClients; i++)
        {
            await cluster.AddClientAsync();
        }

        var placement = await cluster.PlacementAsync();
        Assert.That(cluster.Edges.Select(e => placement.Values.Count(server => server == e.Name)), Has.All.GreaterThan(0),
            "HAProxy spread the first clients over all three Edges");
        await cluster.CheckpointAsync("three Edges");

        // SIGKILL: edge1's clients lose TCP, reconnect through HAProxy to a survivor, resubscribe, get a snapshot.
        var killed = await MoveOffAsync(cluster, edge1, ClusterProcess.SigKill, "edge1 killed (SIGKILL)");
        Assert.That(killed.SelectMany(c => c.Ends), Has.None.StartsWith("closed"), "a killed Edge sends no close frame");
        await cluster.CheckpointAsync("edge1 killed");

        // SIGTERM: edge2 drains, closing its clients with 1001; they move to edge3.
        var drained = await MoveOffAsync(cluster, edge2, ClusterProcess.SigTerm, "edge2 drained (SIGTERM)");
        Assert.That(edge2.Process!.ExitCode, Is.Zero, "a drained Edge exits 0");
        Assert.That(drained, Has.All.Matches<IClusterClient>(c => c.Ends.Any(e => e.StartsWith("closed 1001 server shutting down; reconnect", StringComparison.Ordinal))),
            "a draining Edge closes its clients with 1001 and the reconnect hint");
        await cluster.CheckpointAsync("edge2 drained");

        // Restart both: HAProxy puts them back once /readyz is 200, and new connections reach them.
        edge1.Start();
        edge2.Start();
        await cluster.WaitAsync("edge1 restarted: ready, fed, UP in HAProxy", () => cluster.IsServingAsync(edge1));
        await cluster.WaitAsync("edge2 restarted: ready, fed, UP in HAProxy", () => cluster.IsServingAsync(edge2));
        var later = new List<IClusterClient>();
        for (var i = 0; i < LaterClients; i++)
        {
            later.Add(await cluster.AddClientAsync());
        }

        placement = await cluster.PlacementAsync();
        Assert.That(new[] { edge1, edge2 }.Select(e => later.Count(c => placement.GetValueOrDefault(c) == e.Name)), Has.All.GreaterThan(0),
            "new clients reach both restarted Edges (leastconn: edge3 holds the first clients)");
        await cluster.CheckpointAsync("edge1 and edge2 restarted");

        // SIGSTOP: edge3 stalls; HAProxy takes it out, the publisher declares it lost where it can tell, the other
        // Edges' clients keep getting prices; after SIGCONT it recovers and its clients carry on, in order.
        placement = await cluster.PlacementAsync();
        var stalled = cluster.Clients.Where(c => placement.GetValueOrDefault(c) == edge3.Name).ToList();
        var others = cluster.Clients.Except(stalled).ToList();
        Assert.That(stalled, Is.Not.Empty, "edge3 has clients to stall");
        var connections = cluster.Clients.ToDictionary(c => c, c => c.Connections);
        var othersPrices = others.ToDictionary(c => c, c => c.Prices);
        edge3.Process!.Signal(ClusterProcess.SigStop);
        try
        {
            await cluster.WaitAsync("HAProxy marks the stopped edge3 DOWN (its /readyz checks time out)",
                async () => (await cluster.StatusAsync(edge3)).StartsWith("DOWN", StringComparison.Ordinal));
            if (cluster.Stream.Reaches(2) is not null)
            {
                await cluster.WaitAsync("the publisher declares the stopped edge3 lost (no status messages)", () => cluster.Stream.Reaches(2) == false);
            }

            await cluster.WaitAsync("the other Edges' clients keep getting prices while edge3 is stopped",
                () => others.TrueForAll(c => c.Prices > othersPrices[c] + EdgeCluster.Symbols.Count));
        }
        finally
        {
            edge3.Process.Signal(ClusterProcess.SigCont);
        }

        await cluster.WaitAsync("edge3 continued: ready, fed again, UP in HAProxy", () => cluster.IsServingAsync(edge3));
        await cluster.CheckpointAsync("edge3 stopped and continued");
        Assert.That(cluster.Clients.Select(c => c.Connections - connections[c]), Has.All.Zero,
            "no client was disconnected by the stall: " + string.Join("; ", stalled.Select(c => c.Describe())));
        Assert.That(cluster.Clients.Sum(c => c.Connections), Is.EqualTo(FirstClients + LaterClients + killed.Count + drained.Count),
            "every client connected once, plus once more for each Edge it was moved off");
    }

    /// <summary>
    /// Signals <paramref name="edge"/> and waits until it has exited and every client it carried is connected and
    /// subscribed again on another Edge, while the other clients kept their connections. Returns the moved clients.
    /// </summary>
    private static async Task<List<IClusterClient>> MoveOffAsync(EdgeCluster cluster, ClusterEdge edge, int signal, string what)
    {
        var placement = await cluster.PlacementAsync();
        var moved = cluster.Clients.Where(c => placement.GetValueOrDefault(c) == edge.Name).ToList();
        Assert.That(moved, Is.Not.Empty, $"{edge.Name} has clients before: {what}");
        var connections = cluster.Clients.ToDictionary(c => c, c => c.Connections);
        edge.Process!.Signal(signal);
        await cluster.WaitAsync($"{what}: the process ends", () => edge.Process.HasExited);
        await cluster.WaitAsync($"{what}: its clients reconnected through HAProxy to another Edge and subscribed again", async () =>
        {
            var now = await cluster.PlacementAsync();
            return moved.TrueForAll(c => c.Connections > connections[c] && c.Subscribed
                && now.TryGetValue(c, out var server) && server != edge.Name);
        });
        TestContext.Progress.WriteLine($"cluster: {what}: {string.Join(", ", moved.Select(c => c.Name))} moved to another Edge");
        var stayed = cluster.Clients.Except(moved);
        Assert.That(stayed.Select(c => c.Connections - connections[c]), Has.All.Zero, $"{what}: the other Edges' clients kept their connections");
        return moved;
    }
}
