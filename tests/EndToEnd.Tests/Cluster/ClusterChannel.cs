namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// The price stream a cluster runs on, the cluster test's one parameter: how every Edge's ingest is configured and
/// how the one publisher reaches them all. Today: unicast to each instance (what manual multi-destination-cast does).
/// A multicast or dynamic-MDC channel is another <see cref="ClusterStream"/> and another entry in
/// <see cref="ClusterTests"/>' cases.
/// </summary>
internal sealed class ClusterChannel
{
    private readonly Func<NetworkNamespace, int, ClusterStream> _open;

    public ClusterChannel(string name, Func<NetworkNamespace, int, ClusterStream> open)
    {
        Name = name;
        _open = open;
    }

    public string Name { get; }

    /// <summary>Sets the stream up in the namespace for <paramref name="instances"/> Edges (before any starts).</summary>
    public ClusterStream Open(NetworkNamespace networkNamespace, int instances) => _open(networkNamespace, instances);

    public override string ToString() => Name;
}
