using Edge.EndToEnd.Tests.Deployment;
using Edge.Ingest.Aeron;

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

    /// <summary>
    /// The channels the cluster runs on: one publication per Edge; one multicast publication with <c>fc=max</c>; one
    /// dynamic-MDC publication with <c>fc=min,t:4s</c>. The last two are joined by the Edges' configuration alone.
    /// </summary>
    private static readonly ClusterChannel[] ChannelCases =
    [
        new("unicast-mdc", UnicastDestinationsStream.Open),
        new("multicast", static (networkNamespace, _) => SharedPublicationStream.Multicast(networkNamespace)),
        new("dynamic-mdc", static (networkNamespace, _) => SharedPublicationStream.DynamicMdc(networkNamespace)),
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

        // SIGSTOP: edge3 stalls; HAProxy takes it out, the publisher waits for it or not as its flow control says
        // (StallAsync), then drops it; after SIGCONT it recovers and its clients carry on, in order.
        placement = await cluster.PlacementAsync();
        var stalled = cluster.Clients.Where(c => placement.GetValueOrDefault(c) == edge3.Name).ToList();
        var others = cluster.Clients.Except(stalled).ToList();
        Assert.That(stalled, Is.Not.Empty, "edge3 has clients to stall");
        var connections = cluster.Clients.ToDictionary(c => c, c => c.Connections);
        var othersPrices = others.ToDictionary(c => c, c => c.Prices);
        edge3.Process!.Signal(ClusterProcess.SigStop);
        try
        {
            await StallAsync(cluster, edge3, others, othersPrices);
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
    /// While <paramref name="stopped"/> is stopped (SIGSTOP): with one publication per Edge, its publication alone
    /// loses it; with <c>fc=max</c> the others' clients get new prices while the shared publication still counts the
    /// stopped Edge; with <c>fc=min</c> the stopped Edge's full window holds the publisher back (it offers far ahead of
    /// what it may send) until the receiver timeout drops it, and then the others' clients get new prices. Either way
    /// HAProxy marks it DOWN.
    /// </summary>
    private static async Task StallAsync(EdgeCluster cluster, ClusterEdge stopped, List<IClusterClient> others, Dictionary<IClusterClient, long> othersPrices)
    {
        var index = cluster.Edges.ToList().IndexOf(stopped);
        bool OthersGotNewPrices() => others.TrueForAll(c => c.Prices > othersPrices[c] + EdgeCluster.Symbols.Count);
        var publication = cluster.Stream.Publications[0];
        var sentAtStop = publication.SenderPosition;
        switch (cluster.Stream.FlowControl)
        {
            case AeronFlowControl.Max:
                {
                    // Under fc=min the stopped Edge's window (16 KiB) would stop the sender within that many bytes
                    // until the receiver timeout; under fc=max it sends on while still counting the stopped Edge.
                    int? countedWhenPast = null;
                    await cluster.WaitAsync($"fc=max: the publisher sends more than two windows past where {stopped.Name} stopped, and the others' clients get new prices", () =>
                    {
                        var counted = cluster.Stream.ReceiverCount;
                        if (publication.SenderPosition <= sentAtStop + 2 * SharedPublicationStream.ReceiverWindow || !OthersGotNewPrices())
                        {
                            return false;
                        }

                        countedWhenPast = counted;
                        return true;
                    });
                    Assert.That(countedWhenPast, Is.EqualTo(EdgeCluster.Instances),
                        $"fc=max: the publisher sent on while it still counted the stopped {stopped.Name} as a receiver (it did not wait for it)");
                    await cluster.WaitAsync($"fc=max: the publisher declares the stopped {stopped.Name} lost (no status messages)",
                        () => cluster.Stream.ReceiverCount == EdgeCluster.Instances - 1);
                    break;
                }

            case AeronFlowControl.Min:
                {
                    // The stopped Edge's window (16 KiB) fills in a fraction of a second while the pacing goes on
                    // offering: what is offered runs ahead of what may be sent by more than twice that window.
                    const long HeldBack = 2 * SharedPublicationStream.ReceiverWindow;
                    await cluster.WaitAsync($"fc=min: the publisher is held back by the stopped {stopped.Name} (offers run ahead of what it sends)",
                        () => publication.Position - publication.SenderPosition > HeldBack);
                    var heldAt = publication.SenderPosition;
                    await cluster.WaitAsync($"fc=min: the receiver timeout (t:4s) drops the stopped {stopped.Name}",
                        () => cluster.Stream.ReceiverCount == EdgeCluster.Instances - 1);
                    await cluster.WaitAsync($"fc=min: let go, the publisher sends past the stopped {stopped.Name}'s window",
                        () => publication.SenderPosition > heldAt + HeldBack);
                    var released = others.ToDictionary(c => c, c => c.Prices);
                    await cluster.WaitAsync("fc=min: the other Edges' clients get new prices again",
                        () => others.TrueForAll(c => c.Prices > released[c] + EdgeCluster.Symbols.Count));
                    break;
                }

            default:
                await cluster.WaitAsync($"the publisher declares the stopped {stopped.Name} lost (no status messages)", () => cluster.Stream.Reaches(index) == false);
                await cluster.WaitAsync($"the other Edges' clients keep getting prices while {stopped.Name} is stopped", OthersGotNewPrices);
                break;
        }

        await cluster.WaitAsync($"HAProxy marks the stopped {stopped.Name} DOWN (its /readyz checks time out)",
            async () => (await cluster.StatusAsync(stopped)).StartsWith("DOWN", StringComparison.Ordinal));
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
