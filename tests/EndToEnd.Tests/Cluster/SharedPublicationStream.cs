using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Edge.Ingest.Aeron;

namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// One publication that every Edge joins by configuration alone (<c>Ingest:Channel</c>): a multicast group, or a
/// dynamic-MDC control address. The publisher cannot name which receiver is which, only how many it counts
/// (<see cref="ReceiverCount"/>), and its flow control (<c>fc=max</c> or <c>fc=min,t:…</c>) decides whether a slow
/// Edge holds it back.
/// </summary>
internal sealed class SharedPublicationStream : ClusterStream
{
    /// <summary>
    /// The Edges' receiver window (<c>rcv-wnd</c>): small, so under <c>fc=min</c> a stopped Edge fills it (and holds
    /// the publisher back) within a fraction of a second, well before the receiver timeout lets it go.
    /// </summary>
    public const int ReceiverWindow = 16 * 1024;

    private readonly string _edgeChannel;
    private readonly AeronPublisher[] _publications;

    private SharedPublicationStream(string edgeChannel, AeronPublisher publication, AeronFlowControl flowControl)
    {
        _edgeChannel = edgeChannel;
        _publications = [publication];
        FlowControl = flowControl;
    }

    public override IReadOnlyList<AeronPublisher> Publications => _publications;

    public override AeronFlowControl? FlowControl { get; }

    public override int? ReceiverCount => _publications[0].ReceiverCount;

    /// <summary>Multicast on a group routed on the namespace's loopback; the publisher's flow control is <c>fc=max</c>.</summary>
    public static ClusterStream Multicast(NetworkNamespace networkNamespace)
    {
        var port = FreeUdpPort(networkNamespace).ToString(CultureInfo.InvariantCulture);
        // The data group's last octet is odd; the control group is the next address, same port.
        var group = "aeron:udp?endpoint=239.255.0.1:" + port + "|interface=127.0.0.1";
        return Open(networkNamespace, group + "|rcv-wnd=" + ReceiverWindow.ToString(CultureInfo.InvariantCulture), group + "|fc=max", AeronFlowControl.Max);
    }

    /// <summary>
    /// Dynamic MDC: each Edge listens on a port of its own kernel's choosing and asks the publisher's control address
    /// for the stream; the publisher's flow control is <c>fc=min,t:4s</c>.
    /// </summary>
    public static ClusterStream DynamicMdc(NetworkNamespace networkNamespace)
    {
        var control = "127.0.0.1:" + FreeUdpPort(networkNamespace).ToString(CultureInfo.InvariantCulture);
        return Open(networkNamespace,
            "aeron:udp?endpoint=127.0.0.1:0|control=" + control + "|rcv-wnd=" + ReceiverWindow.ToString(CultureInfo.InvariantCulture),
            "aeron:udp?control=" + control + "|control-mode=dynamic|fc=min,t:4s", AeronFlowControl.Min);
    }

    public override IReadOnlyList<string> IngestArguments(int instance) => ["--Ingest:Channel", _edgeChannel];

    public override bool? Reaches(int instance) => null;

    private static SharedPublicationStream Open(NetworkNamespace networkNamespace, string edgeChannel, string publisherChannel, AeronFlowControl flowControl)
    {
        var publication = networkNamespace.Inside(() =>
        {
            var options = AeronPublisherOptions.ForChannel(publisherChannel);
            options.CloseLingerTimeout = TimeSpan.FromMilliseconds(500);
            options.ThreadName = "cluster-shared-publication";
            return new AeronPublisher(options);
        });
        TestContext.Progress.WriteLine($"cluster: Edges on {edgeChannel}; publisher on {publisherChannel}");
        return new SharedPublicationStream(edgeChannel, publication, flowControl);
    }

    private static int FreeUdpPort(NetworkNamespace networkNamespace)
    {
        // A UDP port the namespace's kernel picks; nothing else runs there, so it stays free for the stream.
        using var probe = networkNamespace.Socket(SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
