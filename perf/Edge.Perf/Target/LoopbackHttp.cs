using System.Net.Security;

namespace Edge.Perf.Target;

/// <summary>The tool's HTTP client for /healthz and /metrics: over https it accepts the run's own self-signed certificate (loopback only).</summary>
internal static class LoopbackHttp
{
    public static HttpClient Create(TimeSpan timeout) => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true },
    })
    {
        Timeout = timeout,
    };
}
