using System.Net.WebSockets;
using System.Text;
using Edge.EndToEnd.Tests.Support;
using Edge.EndToEnd.Tests.WebSockets;
using Edge.Protocol.Client;
using Edge.Protocol.WebSockets;
using Edge.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using static Edge.Tests.Shared.Eventually;

namespace Edge.EndToEnd.Tests.Operations;

/// <summary>Graceful shutdown end to end: a real Edge, real WebSocket clients (polite ones and one that never answers).</summary>
public sealed class ShutdownDrainTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Test]
    public async Task Stopping_closes_every_client_with_1001_and_a_reconnect_hint_then_completes_when_they_answer()
    {
        // A drain timeout far above the bound below: the stop can only finish in time because the clients answered.
        await using var edge = await RunningEdge.StartAsync(o => o.DrainTimeoutSeconds = 120);
        using var binary = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("a", "acme", TimeSpan.FromMinutes(5)), ClientEncoding.MessagePack);
        using var text = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("b", "globex", TimeSpan.FromMinutes(5)), ClientEncoding.Json);
        Assert.That((await binary.ReceiveAsync())?.Type, Is.EqualTo(ServerMessageType.Connected));
        Assert.That((await text.ReceiveAsync())?.Type, Is.EqualTo(ServerMessageType.Connected));

        var stopping = edge.Host.StopAsync();
        var binaryClose = await binary.AnswerCloseAsync();
        var textClose = await text.AnswerCloseAsync();
        await stopping.WaitAsync(Bound);

        Assert.That(binaryClose, Is.EqualTo(((WebSocketCloseStatus?)WebSocketCloseStatus.EndpointUnavailable, "server shutting down; reconnect")));
        Assert.That(textClose, Is.EqualTo(((WebSocketCloseStatus?)WebSocketCloseStatus.EndpointUnavailable, "server shutting down; reconnect")));
        Assert.That(WebSocketCloseCode.AdviceFor((ushort)binaryClose.Status!.Value), Is.EqualTo(ReconnectAdvice.Reconnect));
        Assert.That(edge.Host.Health.Ready, Is.False);
    }

    [Test]
    public async Task The_host_stops_at_the_drain_bound_when_a_client_ignores_the_close()
    {
        // The close handshake timeout (60 s) is beyond the wait below: only the drain bound (1 s) can end the stop in time.
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.DrainTimeoutSeconds = 1;
            o.WebSocket.CloseTimeoutSeconds = 60;
        });
        var token = edge.Tokens.Issue("deaf", "acme", TimeSpan.FromMinutes(5));
        using var deaf = await RawWebSocket.OpenAsync(edge.EndPoint, "/market-data", $"Authorization: Bearer {token}\r\nSec-WebSocket-Protocol: edge.v1.json\r\n");
        Assert.That(deaf.Status, Is.EqualTo(101));
        await WaitForSessionsAsync(edge, 1);

        await edge.Host.StopAsync().WaitAsync(Bound);

        // The client never answered; what the server sent is still in its socket: connected, then the close frame.
        var frames = await deaf.ReadUntilCloseAsync();
        Assert.That(frames[0].PayloadText, Does.Contain("\"type\":\"connected\""));
        Assert.That(frames[^1].Opcode, Is.EqualTo(WebSocketOpcode.Close));
        Assert.That(frames[^1].CloseCode, Is.EqualTo(1001));
        Assert.That(Encoding.UTF8.GetString(frames[^1].Payload.AsSpan(2)), Is.EqualTo(ShutdownDrain.CloseReason));
        Assert.That(await deaf.WaitForEndAsync(), Is.True, "the server closed TCP at the drain bound");
    }

    [Test]
    public async Task The_drain_counts_clients_that_answered_and_clients_it_had_to_cut()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.WebSocket.CloseTimeoutSeconds = 60);
        using var polite = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("a", "acme", TimeSpan.FromMinutes(5)), ClientEncoding.Json);
        var token = edge.Tokens.Issue("deaf", "acme", TimeSpan.FromMinutes(5));
        using var deaf = await RawWebSocket.OpenAsync(edge.EndPoint, "/market-data", $"Authorization: Bearer {token}\r\n");
        Assert.That((await polite.ReceiveAsync())?.Type, Is.EqualTo(ServerMessageType.Connected));
        await WaitForSessionsAsync(edge, 2);
        var drain = new ShutdownDrain(edge.Host.FanOut.Loops, TimeSpan.FromSeconds(3), NullLogger.Instance);

        var draining = drain.RunAsync();
        var politeClose = await polite.AnswerCloseAsync();
        var result = await draining.WaitAsync(Bound);

        Assert.That(politeClose.Status, Is.EqualTo(WebSocketCloseStatus.EndpointUnavailable));
        Assert.That(result, Is.EqualTo(new ShutdownDrainResult(Clients: 2, Forced: 1)));
        Assert.That(await deaf.WaitForEndAsync(), Is.True);
        Assert.That(edge.Host.FanOut.Loops.Sum(l => l.SessionCount), Is.Zero, "drained sessions left the fan-out");
    }

    [Test]
    public async Task While_draining_readiness_is_off_and_a_new_handshake_on_an_open_connection_gets_503()
    {
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.DrainTimeoutSeconds = 120;
            o.WebSocket.CloseTimeoutSeconds = 120;
            o.WebSocket.HandshakeTimeoutSeconds = 120;
        });
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("EUR/USD", 1.08, 1.09, 1);
        await WaitUntilAsync(() => edge.Host.Health.Ready);

        // Holds the drain open (it never answers the close) until the test lets it go.
        var token = edge.Tokens.Issue("holder", "acme", TimeSpan.FromMinutes(5));
        var holder = await RawWebSocket.OpenAsync(edge.EndPoint, "/market-data", $"Authorization: Bearer {token}\r\n");
        Task stopping;
        try
        {
            using var http = await RawHttp.ConnectAsync(edge.EndPoint);
            await http.SendAsync("GET /readyz HTTP/1.1\r\nHost: localhost\r\n\r\n");
            var before = await http.ReadResponseAsync();

            stopping = edge.Host.StopAsync();
            await http.SendAsync("GET /readyz HTTP/1.1\r\nHost: localhost\r\n\r\n");
            var during = await http.ReadResponseAsync();
            await http.SendAsync(
                "GET /market-data HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + $"Sec-WebSocket-Key: {RawWebSocket.Key}\r\nAuthorization: Bearer {edge.Tokens.Issue("late", "acme", TimeSpan.FromMinutes(5))}\r\n\r\n");
            var upgrade = await http.ReadResponseAsync();

            Assert.That(before.Status, Is.EqualTo(200));
            Assert.That(during.Status, Is.EqualTo(503));
            Assert.That(upgrade.Status, Is.EqualTo(503));
            Assert.That(upgrade.Body, Does.Contain("SHUTTING_DOWN"));
            Assert.That(stopping.IsCompleted, Is.False, "the drain still waits for the holder");
        }
        finally
        {
            holder.Dispose();
        }

        await stopping.WaitAsync(Bound);
    }

    private static async Task WaitForSessionsAsync(RunningEdge edge, int count) =>
        await WaitUntilAsync(() => edge.Host.FanOut.Loops.Sum(l => l.SessionCount) >= count);
}
