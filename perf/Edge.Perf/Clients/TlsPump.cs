using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Edge.Perf.Clients;

/// <summary>
/// Reads one TLS connection for its <see cref="ClientLoop"/>: handshake, the upgrade request, then reads into the
/// connection's own buffer (allocated once) until it closes. SslStream's reads need no per-read allocation.
/// </summary>
internal static class TlsPump
{
    /// <summary>One read: a 16 KB TLS record and the start of the next.</summary>
    private const int ReadBytes = 32 * 1024;

    public static async Task RunAsync(ClientLoop loop, PerfConnection connection, SslClientAuthenticationOptions authentication)
    {
        var tls = connection.Tls!;
        var buffer = new byte[ReadBytes];
        try
        {
            await tls.AuthenticateAsClientAsync(authentication).ConfigureAwait(false);
            await tls.WriteAsync(connection.Request).ConfigureAwait(false);
            while (!loop.Stopping)
            {
                var received = await tls.ReadAsync(buffer).ConfigureAwait(false);
                if (!loop.TlsReceived(connection, buffer.AsSpan(0, received)))
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or AuthenticationException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            loop.TlsFailed(connection, e);
        }
    }
}
