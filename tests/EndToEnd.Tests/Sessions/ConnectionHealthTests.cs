using System.Net.WebSockets;
using Edge.EndToEnd.Tests.Operations;
using Edge.EndToEnd.Tests.Support;
using Edge.EndToEnd.Tests.WebSockets;
using Edge.Protocol.Client;
using Edge.Protocol.WebSockets;

namespace Edge.EndToEnd.Tests.Sessions;

/// <summary>Heartbeats, idle detection and the per-address connection quota, over real sockets.</summary>
public sealed class ConnectionHealthTests
{
    private static Task<RunningEdge> StartWithShortHeartbeatsAsync() =>
        RunningEdge.StartAsync(o =>
        {
            o.Session.HeartbeatIntervalSeconds = 1;

            // 5 s: the quiet client below answers pings only while a receive is pending, and a loaded machine can
            // hold its thread-pool continuation back for a second or two.
            o.Session.IdleTimeoutSeconds = 5;
        });

    [Test]
    public async Task A_quiet_client_that_answers_pings_gets_heartbeats_and_outlives_the_idle_timeout()
    {
        await using var edge = await StartWithShortHeartbeatsAsync();
        // ClientWebSocket answers the server's pings with pongs on its own; it sends nothing else.
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Tokens.Issue("quiet", "acme", TimeSpan.FromMinutes(5)));
        var connected = await client.ReceiveAsync(ServerMessageType.Connected);

        // Seven heartbeats span more than the 5 s idle timeout: only the pongs kept it open.
        var heartbeats = new List<ServerMessage>();
        while (heartbeats.Count < 7)
        {
            heartbeats.Add(await client.ReceiveAsync(ServerMessageType.Heartbeat));
        }

        Assert.That(connected.HeartbeatInterval, Is.EqualTo(1000));
        Assert.That(heartbeats.Select(h => h.Time), Is.Ordered.Ascending);
        Assert.That(client.CloseStatus, Is.Null);
        Assert.That(await IdleClosesAsync(edge), Is.Zero);
    }

    [Test]
    public async Task A_client_that_sends_nothing_not_even_pongs_is_closed_with_1001_after_the_idle_timeout()
    {
        await using var edge = await StartWithShortHeartbeatsAsync();
        var token = edge.Tokens.Issue("mute", "acme", TimeSpan.FromMinutes(5));
        using var mute = await RawWebSocket.OpenAsync(edge.EndPoint, "/market-data?token=" + token, "Sec-WebSocket-Protocol: edge.v1.json\r\n");
        Assert.That(mute.Status, Is.EqualTo(101));

        var frames = await mute.ReadUntilCloseAsync();

        Assert.That(frames, Is.Not.Empty);
        Assert.That(frames[^1].Opcode, Is.EqualTo(WebSocketOpcode.Close), "a close frame, not just a dropped connection");
        Assert.That(frames[^1].CloseCode, Is.EqualTo(1001));
        Assert.That(frames.Any(f => f.Opcode == WebSocketOpcode.Ping), Is.True, "it was pinged first");
        Assert.That(frames.Any(f => f.Opcode == WebSocketOpcode.Text && f.PayloadText.Contains("\"heartbeat\"")), Is.True);
        Assert.That(await IdleClosesAsync(edge), Is.EqualTo(1));
    }

    [Test]
    public async Task Connections_over_the_per_address_quota_get_429_and_a_freed_slot_is_reused()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Tenancy.MaxConnectionsPerIp = 2);
        string Token(string who) => edge.Tokens.Issue(who, "acme", TimeSpan.FromMinutes(5));
        var first = await MarketDataClient.ConnectAsync(edge.EndPoint, Token("a"));
        using var second = await MarketDataClient.ConnectAsync(edge.EndPoint, Token("b"));
        await first.ReceiveAsync(ServerMessageType.Connected);
        await second.ReceiveAsync(ServerMessageType.Connected);

        var refused = Assert.ThrowsAsync<WebSocketException>(async () => await MarketDataClient.ConnectAsync(edge.EndPoint, Token("c")));
        Assert.That(refused!.Message, Does.Contain("429"));

        first.Dispose();
        // The slot is released when the server sees the connection end; retry until then (bounded).
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        MarketDataClient? third = null;
        while (third is null)
        {
            try
            {
                third = await MarketDataClient.ConnectAsync(edge.EndPoint, Token("c"));
            }
            catch (WebSocketException e) when (e.Message.Contains("429") && !timeout.IsCancellationRequested)
            {
                await Task.Delay(20, timeout.Token);
            }
        }

        using (third)
        {
            Assert.That(await third.ReceiveAsync(ServerMessageType.Connected), Is.Not.Null);
        }
    }

    private static async Task<double?> IdleClosesAsync(RunningEdge edge) =>
        PrometheusText.Value((await RawHttp.GetAsync(edge.EndPoint, "/metrics")).Body, "edge_idle_closes_total");
}
