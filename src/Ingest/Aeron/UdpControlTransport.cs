using System.Net;
using System.Net.Sockets;

namespace Edge.Ingest.Aeron;

/// <summary>Sends control frames from the receiver's own socket, so publishers see them come from the endpoint.</summary>
internal sealed class UdpControlTransport : IAeronControlTransport
{
    private readonly Socket _socket;

    public UdpControlTransport(Socket socket) => _socket = socket;

    public bool Send(ReadOnlySpan<byte> frame, SocketAddress destination)
    {
        try
        {
            return _socket.SendTo(frame, SocketFlags.None, destination) == frame.Length;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }
}
