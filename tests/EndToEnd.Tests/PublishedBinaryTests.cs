using System.Net;
using System.Text.RegularExpressions;
using Edge.EndToEnd.Tests.Deployment;
using Edge.EndToEnd.Tests.Support;
using Edge.Protocol.Client;

namespace Edge.EndToEnd.Tests;

/// <summary>
/// Runs the trimmed native binary that scripts/publish produced (scripts/test sets EDGE_BINARY). It proves the
/// DotNetty pipeline survives trimming: the known crash is a TypeInitializationException at the first channel.
/// </summary>
public sealed class PublishedBinaryTests
{
    [Test]
    public async Task The_native_binary_serves_healthz_and_exits_0_on_SIGTERM()
    {
        using var edge = EdgeBinary.Start(["--port", "0", "--BindAddress", "127.0.0.1", "--Ingest:Endpoint", "127.0.0.1:0"]);
        var port = await edge.ReadPortAsync();
        var first = await RawHttp.GetAsync(new IPEndPoint(IPAddress.Loopback, port), "/healthz");
        var metrics = await RawHttp.GetAsync(new IPEndPoint(IPAddress.Loopback, port), "/metrics");

        Assert.That(first.Status, Is.EqualTo(200));
        Assert.That(metrics.Status, Is.EqualTo(200));
        Assert.That(metrics.Body, Does.Contain("edge_ring_capacity"));
        Assert.That(await edge.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task The_native_binary_in_demo_mode_streams_live_prices_to_a_websocket_client()
    {
        using var edge = EdgeBinary.Start(["--port", "0", "--BindAddress", "127.0.0.1", "--Ingest:Endpoint", "127.0.0.1:0", "--Log:Format", "text"]);
        var port = await edge.ReadPortAsync();
        var token = await edge.ReadTokenAsync();
        edge.DrainOutput();
        using var client = await MarketDataClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), token, ClientEncoding.Json);
        await client.ReceiveAsync(ServerMessageType.Connected);
        await client.SubscribeAsync("EUR/USD", "BTC/USD", "AAPL");
        var ack = await client.ReceiveAsync(ServerMessageType.Ack);
        var price = await client.ReceiveAsync(ServerMessageType.Price);

        Assert.That(ack.Symbols, Is.EquivalentTo(new[] { "EUR/USD", "BTC/USD", "AAPL" }));
        Assert.That(price.Price!.Ask.Price, Is.GreaterThan(price.Price.Bid.Price));
        Assert.That(await edge.StopAsync(), Is.EqualTo(0));
    }

    [Test]
    public async Task Two_native_binaries_share_a_multicast_group_and_a_bad_channel_exits_2()
    {
        var refused = await EdgeBinary.RunAsync("--Ingest:Channel", "aeron:udp?endpoint=239.1.1.2:40456|interface=127.0.0.1");
        Assert.That(refused.ExitCode, Is.EqualTo(2));
        Assert.That(refused.Error, Does.Contain("last octet must be odd"));

        // The demo Edge publishes its demo feed to the group it listens on; the other (not in demo mode) only listens.
        var channel = $"aeron:udp?endpoint={LoopbackMulticast.RandomGroup()}|interface=127.0.0.1|ttl=0";
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        using var publishing = EdgeBinary.Start(["--port", "0", "--BindAddress", "127.0.0.1", "--Ingest:Channel", channel]);
        using var listening = EdgeBinary.Start(
            ["--port", "0", "--BindAddress", "127.0.0.1", "--Ingest:Channel", channel, "--Demo:Enabled", "false", "--Auth:Issuer", "iss",
             "--Auth:Audience", "aud", "--Auth:Keys:0:Algorithm", "HS256", "--Auth:Keys:0:Secret", secret]);
        await publishing.ReadPortAsync();
        publishing.DrainOutput();
        var endPoint = new IPEndPoint(IPAddress.Loopback, await listening.ReadPortAsync());
        listening.DrainOutput();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while ((await RawHttp.GetAsync(endPoint, "/readyz")).Status != 200)
        {
            await Task.Delay(50, timeout.Token);
        }

        // Ready means the image is live (its SETUP came); the first data frames may still be on their way.
        var metrics = string.Empty;
        await Edge.Tests.Shared.Eventually.WaitUntilAsync(
            async () => Regex.IsMatch(metrics = (await RawHttp.GetAsync(endPoint, "/metrics")).Body, @"edge_aeron_messages_total [1-9]"),
            "the listening Edge received the demo feed's messages over the group",
            TimeSpan.FromSeconds(60));
        Assert.That(metrics, Does.Contain("kind=\"multicast\"} "));
    }
}
