using System.Net;
using System.Net.Sockets;

namespace Edge.EndToEnd.Tests.Support;

/// <summary>Multicast groups for tests on the loopback device, chosen so that concurrent runs rarely meet.</summary>
internal static class LoopbackMulticast
{
    /// <summary>A random <c>239.255.x.y:port</c> (an odd last octet, as Aeron requires) on a UDP port free right now.</summary>
    public static string RandomGroup() =>
        $"239.255.{Random.Shared.Next(1, 255)}.{(Random.Shared.Next(0, 126) * 2) + 1}:{FreeUdpPort()}";

    /// <summary>A UDP port the OS had free a moment ago.</summary>
    public static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Any, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
