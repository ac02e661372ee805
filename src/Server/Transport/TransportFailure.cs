using System.Net.Sockets;
using DotNetty.Transport.Channels;

namespace Edge.Server.Transport;

/// <summary>Tells a connection failing (reset, broken pipe, closed channel) from a bug worth the error log.</summary>
public static class TransportFailure
{
    public static bool Is(Exception exception) =>
        exception is IOException or SocketException or ChannelException or ObjectDisposedException;
}
