using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Edge.Server.Configuration;

namespace Edge.Server.Cli;

/// <summary>
/// <c>edge healthcheck [URL]</c>: one HTTP GET over a plain socket (TLS for https), exit 0 on status 200 and 1 on
/// anything else. Minimal container images have no curl or shell, so the image's HEALTHCHECK runs this. Without a
/// URL it asks this instance's own <c>/healthz</c>: 127.0.0.1, the configured Port, https when Tls:Enabled.
/// </summary>
public static class HealthcheckCommand
{
    public const int Healthy = 0;
    public const int Unhealthy = 1;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        Uri url;
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            if (!Uri.TryCreate(args[0], UriKind.Absolute, out url!) || url.Scheme is not ("http" or "https"))
            {
                await error.WriteLineAsync($"healthcheck: '{args[0]}' is not an http:// or https:// URL");
                return Unhealthy;
            }
        }
        else
        {
            var options = EdgeConfigurationLoader.Bind(EdgeConfigurationLoader.Build(args));
            url = new Uri($"{(options.Tls.Enabled ? "https" : "http")}://127.0.0.1:{options.Port}/healthz");
        }

        try
        {
            using var cts = new CancellationTokenSource(Timeout);
            var status = await GetStatusAsync(url, cts.Token);
            await output.WriteLineAsync($"healthcheck: {url} answered {status}");
            return status == 200 ? Healthy : Unhealthy;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException)
        {
            await error.WriteLineAsync($"healthcheck: {url}: {ex.Message}");
            return Unhealthy;
        }
    }

    /// <summary>Sends <c>GET path HTTP/1.1</c> with <c>Connection: close</c> and returns the status code of the answer.</summary>
    public static async Task<int> GetStatusAsync(Uri url, CancellationToken cancellation)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(url.Host, url.Port, cancellation);
        await using var network = new NetworkStream(socket, ownsSocket: false);
        // A liveness probe of a local process: the certificate (issued for the public name) is not checked.
        await using var tls = url.Scheme == "https" ? new SslStream(network, leaveInnerStreamOpen: true, static (_, _, _, _) => true) : null;
        if (tls is not null)
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = url.Host }, cancellation);
        }

        Stream stream = tls is null ? network : tls;
        var request = $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nConnection: close\r\nUser-Agent: edge-healthcheck\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request), cancellation);
        var buffer = new byte[512];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellation);
            if (read == 0)
            {
                break;
            }

            length += read;
            if (Array.IndexOf(buffer, (byte)'\n', 0, length) >= 0)
            {
                break;
            }
        }

        // "HTTP/1.1 200 OK": the three digits after the first space.
        var line = Encoding.ASCII.GetString(buffer, 0, length);
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        return line.StartsWith("HTTP/", StringComparison.Ordinal) && space > 0 && line.Length >= space + 4
            && int.TryParse(line.AsSpan(space + 1, 3), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var status)
            ? status
            : throw new IOException("not an HTTP response");
    }
}
