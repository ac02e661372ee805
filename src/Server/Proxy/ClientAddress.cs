using System.Net;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;

namespace Edge.Server.Proxy;

/// <summary>
/// The client a connection stands for: the address a trusted balancer named in its PROXY header, else the TCP peer.
/// Everything that needs "who is this" (quotas, logs, admission) reads it here, never <c>Channel.RemoteAddress</c>.
/// </summary>
public static class ClientAddress
{
    /// <summary>Set by <see cref="ProxyProtocolDecoder"/> when a header named the original client.</summary>
    public static readonly AttributeKey<EndPoint> Original = AttributeKey<EndPoint>.ValueOf("edge.client-address");

    /// <summary>The client's address; an IPv4-mapped IPv6 address as plain IPv4, so one client is one quota key.</summary>
    public static EndPoint? Of(IChannel channel)
    {
        var address = channel.GetAttribute(Original).Get() ?? channel.RemoteAddress;
        return address is IPEndPoint { Address.IsIPv4MappedToIPv6: true } mapped
            ? new IPEndPoint(mapped.Address.MapToIPv4(), mapped.Port)
            : address;
    }
}
