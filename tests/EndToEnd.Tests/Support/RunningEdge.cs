using System.Net;
using Edge.Server.Auth;
using Edge.Server.Configuration;
using Edge.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.EndToEnd.Tests.Support;

/// <summary>
/// A real Edge in this process: HTTP/WebSocket on 127.0.0.1 and an OS-chosen port, the Aeron receiver on another,
/// real JWT validation with a test key (<see cref="Tokens"/> issues tokens for it). A restart passes the same port
/// and signing secret. Dispose stops it. The client tests use it too (linked into their project).
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

    public Uri Url => new($"ws://127.0.0.1:{EndPoint.Port}/market-data");

    public string Token(TimeSpan? lifetime = null) => Tokens.Issue("trader-1", "acme", lifetime ?? TimeSpan.FromMinutes(5));

    /// <param name="configure">Changes to the options.</param>
    /// <param name="port">0 for an OS-chosen port, or the port of a stopped Edge to restart it there.</param>
    /// <param name="secret">The signing secret of a previous Edge, so its tokens stay valid.</param>
    public static async Task<RunningEdge> StartAsync(Action<EdgeOptions>? configure = null, int port = 0, string? secret = null)
    {
        var options = new EdgeOptions
        {
            Port = port,
            BindAddress = "127.0.0.1",
            EventLoops = 2,
            DrainTimeoutSeconds = 2,
        };
        options.Ingest.Endpoint = "127.0.0.1:0";
        options.Demo.Enabled = false;
        options.Auth.Issuer = "edge-tests";
        options.Auth.Audience = "edge";
        var tokens = new DevTokenIssuer(options.Auth, secret);
        options.Auth.Keys.Add(tokens.SigningKey);
        configure?.Invoke(options);
        var errors = options.Validate();
        Assert.That(errors, Is.Empty, "test options are valid");

        var host = new EdgeHost(options, NullLoggerFactory.Instance);
        await host.StartAsync();
        return new RunningEdge(host, tokens);
    }

    /// <summary>Waits (bounded) until Edge has seen <paramref name="symbol"/> from the feed, so a subscribe to it is accepted.</summary>
    public async Task WaitForSymbolAsync(string symbol)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Host.Symbols.Find(symbol) < 0)
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    /// <summary>
    /// Opens an upstream feed to this Edge, publishes <paramref name="symbol"/>'s first price (sequence 1) and waits
    /// until Edge has seen it, so a subscribe to it is accepted and gets that price in its snapshot.
    /// </summary>
    public async Task<UpstreamFeed> FeedAsync(string symbol, double bid, double ask)
    {
        var feed = new UpstreamFeed(Host.IngestEndPoint);
        try
        {
            feed.Publish(symbol, bid, ask, 1);
            await WaitForSymbolAsync(symbol);
            return feed;
        }
        catch
        {
            feed.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync() => await Host.StopAsync();
}
