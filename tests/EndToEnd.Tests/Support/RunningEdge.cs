using System.Net;
using Edge.Server.Auth;
using Edge.Server.Configuration;
using Edge.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.EndToEnd.Tests.Support;

/// <summary>
/// A real Edge in this process: HTTP/WebSocket on 127.0.0.1 and an OS-chosen port, the Aeron receiver on another,
/// real JWT validation with a test key (<see cref="Tokens"/> issues tokens for it). Dispose stops it.
/// </summary>
internal sealed class RunningEdge : IAsyncDisposable
{
    private RunningEdge(EdgeHost host, DevTokenIssuer tokens)
    {
        Host = host;
        Tokens = tokens;
        EndPoint = new IPEndPoint(IPAddress.Loopback, host.Server.LocalEndPoint!.Port);
    }

    public EdgeHost Host { get; }

    public EdgeServer Server => Host.Server;

    public DevTokenIssuer Tokens { get; }

    public IPEndPoint EndPoint { get; }

    public static async Task<RunningEdge> StartAsync(Action<EdgeOptions>? configure = null)
    {
        var options = new EdgeOptions
        {
            Port = 0,
            BindAddress = "127.0.0.1",
            EventLoops = 2,
            DrainTimeoutSeconds = 2,
        };
        options.Ingest.Endpoint = "127.0.0.1:0";
        options.Demo.Enabled = false;
        options.Auth.Issuer = "edge-tests";
        options.Auth.Audience = "edge";
        var tokens = new DevTokenIssuer(options.Auth);
        options.Auth.Keys.Add(tokens.SigningKey);
        configure?.Invoke(options);
        var errors = options.Validate();
        Assert.That(errors, Is.Empty, "test options are valid");

        var host = new EdgeHost(options, NullLoggerFactory.Instance);
        await host.StartAsync();
        return new RunningEdge(host, tokens);
    }

    public async ValueTask DisposeAsync() => await Host.StopAsync();
}
