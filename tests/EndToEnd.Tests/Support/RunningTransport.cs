using System.Net;
using Edge.Server.Configuration;
using Edge.Server.Hosting;
using Edge.Server.Metrics;
using Edge.Server.WebSockets;

namespace Edge.EndToEnd.Tests.Support;

/// <summary>The transport alone (EdgeServer with a given admission, no ingest) on 127.0.0.1 and an OS-chosen port; dispose stops it.</summary>
internal sealed class RunningTransport : IAsyncDisposable
{
    private RunningTransport(EdgeServer server, IPEndPoint endPoint)
    {
        Server = server;
        EndPoint = endPoint;
    }

    public EdgeServer Server { get; }

    public IPEndPoint EndPoint { get; }

    /// <param name="options">Server options; bind address, port, loops and drain time are set here.</param>
    /// <param name="marketData">The market-data WebSocket admission (null: that path answers 503).</param>
    public static async Task<RunningTransport> StartAsync(EdgeOptions? options = null, IWebSocketAdmission? marketData = null)
    {
        options ??= new EdgeOptions();
        options.Port = 0;
        options.BindAddress = "127.0.0.1";
        options.EventLoops = 2;
        options.DrainTimeoutSeconds = 2;
        var server = new EdgeServer(options, new HealthState(), new MetricsRegistry(), marketData);
        await server.StartAsync();
        return new RunningTransport(server, new IPEndPoint(IPAddress.Loopback, server.LocalEndPoint!.Port));
    }

    public async ValueTask DisposeAsync() => await Server.StopAsync();
}
