using System.Net;
using System.Net.Sockets;

namespace Edge.Ingest.Aeron;

/// <summary>Socket options a multicast Aeron endpoint needs (as the C driver's aeron_udp_channel_transport sets them).</summary>
internal static class MulticastSockets
{
    // Linux values; .NET has no names for them.
    private const int SolSocket = 1;
    private const int SoReusePort = 15;
    private const int IpProtoIp = 0;
    private const int IpMulticastAll = 49;

    /// <summary>
    /// Binds <paramref name="socket"/> to the group's port on every address with SO_REUSEADDR and SO_REUSEPORT, so several
    /// receivers (and a publisher) on one host share the port, and joins <paramref name="groups"/> on the interface.
    /// IP_MULTICAST_ALL off: the socket gets only the groups it joined, not every group another socket joined on this port.
    /// </summary>
    public static void BindShared(Socket socket, int port, IPAddress networkInterface, params IPAddress[] groups)
    {
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(SolSocket, SoReusePort, BitConverter.GetBytes(1));
            socket.SetRawSocketOption(IpProtoIp, IpMulticastAll, BitConverter.GetBytes(0));
        }

        socket.Bind(new IPEndPoint(IPAddress.Any, port));
        foreach (var group in groups)
        {
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(group, networkInterface));
        }
    }

    /// <summary>
    /// IP_MULTICAST_IF and IP_MULTICAST_TTL for what the socket sends to a group; loopback on, so a publisher and its
    /// receivers (and the receivers among themselves) on one host hear each other.
    /// </summary>
    public static void ConfigureSend(Socket socket, IPAddress networkInterface, int? ttl)
    {
        if (!networkInterface.Equals(IPAddress.Any))
        {
            // The interface address in network byte order, as IP_MULTICAST_IF takes it.
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, BitConverter.ToInt32(networkInterface.GetAddressBytes()));
        }

        if (ttl is { } hops)
        {
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, hops);
        }

        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
    }
}
