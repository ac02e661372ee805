namespace Edge.Ingest.Tests.Aeron;

/// <summary>
/// Multicast channels for tests: a random group in 239.255.0.0/16 (odd last octet) and a free port, on interface
/// 127.0.0.1, so the traffic stays on the loopback device (IP_MULTICAST_IF) and loops back to this host's sockets
/// (IP_MULTICAST_LOOP). No route is added; parallel test runs pick different groups and ports.
/// </summary>
internal static class MulticastRig
{
    /// <summary>A fresh data group:port (the control group is the next address).</summary>
    public static string NewGroup()
    {
        var third = Random.Shared.Next(1, 255);
        var fourth = (Random.Shared.Next(0, 126) * 2) + 1;
        return $"239.255.{third}.{fourth}:{FreeUdpPort()}";
    }

    public static string SubscriptionChannel(string group) => $"aeron:udp?endpoint={group}|interface=127.0.0.1|ttl=0";

    public static AeronReceiverOptions Receiver(string channel, Action<AeronReceiverOptions>? configure = null)
    {
        var options = AeronTestRig.ReceiverOptions();
        options.ApplyChannel(AeronChannel.Parse(channel, AeronChannelUse.Subscription));
        configure?.Invoke(options);
        return options;
    }

    public static AeronPublisherOptions Publisher(string channel, Action<AeronPublisherOptions>? configure = null)
    {
        var options = AeronTestRig.PublisherOptions(new IPEndPoint(IPAddress.Loopback, 1));
        options.LocalEndpoint = null;
        options.ApplyChannel(AeronChannel.Parse(channel, AeronChannelUse.Publication));
        configure?.Invoke(options);
        return options;
    }

    /// <summary>A UDP port free right now (the OS's choice, released), for channels that must name theirs.</summary>
    public static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
