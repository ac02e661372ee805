using System.Net;
using System.Text;
using Edge.Server.Configuration;

namespace Edge.Server.Demo;

/// <summary>
/// What a new user needs after <c>scripts/run</c>: the demo page's URL, the development token and how to connect,
/// as one block of lines framed by blank lines, written with a single call so no log line lands inside it.
/// </summary>
public static class DemoBanner
{
    /// <summary>How long start-up waits for the demo feed before printing the banner (its log lines then come first).</summary>
    public static readonly TimeSpan FeedWait = TimeSpan.FromSeconds(3);

    /// <summary>
    /// The banner, or null when there is nothing to show (no demo page and no development token).
    /// <paramref name="token"/> is the printed development token (demo mode without keys), else null.
    /// </summary>
    public static string? Render(EdgeOptions options, int port, bool page, string? token)
    {
        if (!page && token is null)
        {
            return null;
        }

        var scheme = options.Tls.Enabled ? "https" : "http";
        var host = HostFor(options.BindAddress);
        var text = new StringBuilder();
        text.AppendLine();
        if (options.Demo.Enabled)
        {
            text.AppendLine("edge: demo mode: simulated prices flow over loopback Aeron UDP into the real ingest path.");
        }

        if (page)
        {
            text.AppendLine($"edge: demo page: {scheme}://{host}:{port}/");
        }

        if (token is not null)
        {
            text.AppendLine($"edge: development token (12 h, tenant 'demo'): {token}");
            text.AppendLine($"edge: connect: {(options.Tls.Enabled ? "wss" : "ws")}://{host}:{port}{options.WebSocket.Path}?token=<token>  (subprotocol edge.v1.json to read frames as text)");
            if (options.Sse.Enabled)
            {
                text.AppendLine($"edge: or stream: curl -N \"{scheme}://{host}:{port}{options.Sse.Path}?symbols=EUR/USD,BTC/USD&token=<token>\"  (Server-Sent Events)");
            }
        }

        if (options.Demo.Enabled && IPAddress.TryParse(options.BindAddress, out var bound) && IPAddress.IsLoopback(bound))
        {
            text.AppendLine($"edge: demo mode listens on {options.BindAddress} only: anyone who reaches it can take tokens. "
                + "Set BindAddress (e.g. --BindAddress 0.0.0.0) to open it to other machines.");
        }

        text.AppendLine();
        return text.ToString();
    }

    /// <summary>The host to put in a URL: localhost for a wildcard address, else the address itself.</summary>
    public static string HostFor(string bindAddress)
    {
        if (!IPAddress.TryParse(bindAddress, out var address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return "localhost";
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }
}
