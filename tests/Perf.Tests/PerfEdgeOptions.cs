using Edge.Server.Auth;
using Edge.Server.Configuration;

namespace Edge.Perf.Tests;

/// <summary>An in-process Edge set up as edge-perf expects: free loopback ports, one loop, no demo, the tool's HS256 key.</summary>
internal static class PerfEdgeOptions
{
    public static EdgeOptions For(string secret)
    {
        var edgeOptions = new EdgeOptions { Port = 0, BindAddress = "127.0.0.1", EventLoops = 1, DrainTimeoutSeconds = 2 };
        edgeOptions.Ingest.Endpoint = "127.0.0.1:0";
        edgeOptions.Demo.Enabled = false;
        edgeOptions.Auth.Issuer = "edge-perf";
        edgeOptions.Auth.Audience = "edge";
        edgeOptions.Auth.Keys.Add(new AuthKeyOptions { Kid = "edge-perf", Algorithm = "HS256", Secret = secret });
        return edgeOptions;
    }
}
