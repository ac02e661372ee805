using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Edge.Ingest.Aeron;

namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// Unicast to every instance: each Edge's receiver listens on its own <c>Ingest:Endpoint</c>, and the publisher has
/// one publication per Edge, every price offered to each. That is what a manual multi-destination-cast publication
/// does (one message, several unicast destinations, each with its own status messages and NAKs), with one Aeron
/// session per destination since Edge's <see cref="AeronPublisher"/> has one destination.
/// </summary>
internal sealed class UnicastDestinationsStream : ClusterStream
{
    private readonly IPEndPoint[] _endpoints;
    private readonly AeronPublisher[] _publications;

    private UnicastDestinationsStream(IPEndPoint[] endpoints, AeronPublisher[] publications)
    {
        _endpoints = endpoints;
        _publications = publications;
    }

    public override IReadOnlyList<AeronPublisher> Publications => _publications;

    public static ClusterStream Open(NetworkNamespace networkNamespace, int instances)
    {
        var endpoints = new IPEndPoint[instances];
        for (var i = 0; i < instances; i++)
        {
            // A UDP port the namespace's kernel picks; nothing else runs there, so it stays free for the Edge.
            using var probe = networkNamespace.Socket(SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            endpoints[i] = (IPEndPoint)probe.LocalEndPoint!;
        }

        var publications = new AeronPublisher[instances];
        try
        {
            for (var i = 0; i < instances; i++)
            {
                var destination = endpoints[i];
                publications[i] = networkNamespace.Inside(() => new AeronPublisher(new AeronPublisherOptions
                {
                    Destination = destination,
                    CloseLingerTimeout = TimeSpan.FromMilliseconds(500),
                    ThreadName = "cluster-publication-" + destination.Port.ToString(CultureInfo.InvariantCulture),
                }));
            }
        }
        catch
        {
            foreach (var publication in publications)
            {
                publication?.Dispose();
            }

            throw;
        }

        return new UnicastDestinationsStream(endpoints, publications);
    }

    public override IReadOnlyList<string> IngestArguments(int instance) => ["--Ingest:Endpoint", _endpoints[instance].ToString()];

    public override bool? Reaches(int instance) => _publications[instance].IsConnected;
}
