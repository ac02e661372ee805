using System.Net.Sockets;

namespace Edge.Server.Hosting;

/// <summary>
/// Edge cannot start for a reason the operator can fix (a port in use, an address not on this host): the message
/// is the whole explanation, printed as <c>edge: cannot start: …</c> with exit code 1.
/// </summary>
public sealed class EdgeStartException : Exception
{
    public EdgeStartException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// The socket error behind <paramref name="exception"/> (itself or an inner exception, as in an
    /// AggregateException), or null when it did not come from a socket.
    /// </summary>
    public static SocketException? FindSocketError(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket)
            {
                return socket;
            }
        }

        return null;
    }
}
