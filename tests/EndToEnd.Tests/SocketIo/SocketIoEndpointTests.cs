using System.Net.WebSockets;
using System.Text.Json;
using Edge.EndToEnd.Tests.Support;

namespace Edge.EndToEnd.Tests.SocketIo;

/// <summary>
/// The socket.io endpoint over real sockets: Engine.IO's HTTP refusals, the open packet and ping/pong, hostile packets
/// (malformed, binary, over maxPayload, unknown namespaces) answered with a clear close or error while other clients
/// carry on, and a price from the feed delivered in the original gateway's shape.
/// </summary>
public sealed class SocketIoEndpointTests
{
    [TestCase("/socket.io/?EIO=4&transport=polling", 0, "Transport unknown")]
    [TestCase("/socket.io/?EIO=4", 0, "Transport unknown")]
    [TestCase("/socket.io/?EIO=3&transport=websocket", 5, "Unsupported protocol version")]
    [TestCase("/socket.io/?EIO=4&transport=websocket&sid=abc", 1, "Session ID unknown")]
    [TestCase("/socket.io/?EIO=4&transport=websocket", 3, "Bad request")]
    public async Task Requests_engine_io_does_not_serve_get_its_error_json_with_400(string target, int code, string message)
    {
        await using var edge = await RunningEdge.StartAsync();

        var response = await RawHttp.GetAsync(edge.EndPoint, target);

        Assert.That(response.Status, Is.EqualTo(400));
        using var body = JsonDocument.Parse(response.Body);
        Assert.That(body.RootElement.GetProperty("code").GetInt32(), Is.EqualTo(code));
        Assert.That(body.RootElement.GetProperty("message").GetString(), Is.EqualTo(message));
    }

    [Test]
    public async Task The_open_packet_names_the_session_and_timers_and_no_upgrades()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Session.MaxCommandBytes = 4096);
        var (client, open) = await SocketIoTestClient.OpenAsync(edge.EndPoint);
        using (client)
        {
            Assert.That(open, Does.StartWith("0{"));
            using var json = JsonDocument.Parse(open[1..]);
            Assert.That(json.RootElement.GetProperty("sid").GetString(), Has.Length.EqualTo(20));
            Assert.That(json.RootElement.GetProperty("upgrades").GetArrayLength(), Is.Zero);
            Assert.That(json.RootElement.GetProperty("pingInterval").GetInt32(), Is.EqualTo(25000));
            Assert.That(json.RootElement.GetProperty("pingTimeout").GetInt32(), Is.EqualTo(20000));
            Assert.That(json.RootElement.GetProperty("maxPayload").GetInt32(), Is.EqualTo(4096));
        }
    }

    [Test]
    public async Task A_client_that_answers_pings_stays_and_one_that_does_not_is_closed_after_the_ping_timeout()
    {
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.SocketIo.PingIntervalMilliseconds = 200;
            o.SocketIo.PingTimeoutMilliseconds = 1000;
        });
        var (answering, _) = await SocketIoTestClient.OpenAsync(edge.EndPoint);
        var (mute, _) = await SocketIoTestClient.OpenAsync(edge.EndPoint);
        using (answering)
        using (mute)
        {
            Assert.That(await mute.ReceiveAsync(), Is.EqualTo("2"));
            Assert.That(await mute.WaitForCloseAsync(), Is.EqualTo(WebSocketCloseStatus.EndpointUnavailable));
            Assert.That(mute.CloseDescription, Is.EqualTo("ping timeout"));

            // The answering client has pongued every ping meanwhile: five more rounds and it is still open.
            for (var i = 0; i < 5; i++)
            {
                await answering.ReceiveAsync("2", answerPings: false);
                await answering.SendAsync("3");
            }

            Assert.That(answering.CloseStatus, Is.Null);
        }
    }

    [Test]
    public async Task Connect_to_another_namespace_is_refused_and_the_connection_can_still_join_market_data()
    {
        await using var edge = await RunningEdge.StartAsync();
        var (client, _) = await SocketIoTestClient.OpenAsync(edge.EndPoint);
        using (client)
        {
            await client.SendAsync("40/admin,{\"token\":\"" + edge.Token() + "\"}");
            Assert.That(await client.ReceiveAsync(), Is.EqualTo("44/admin,{\"message\":\"Invalid namespace\"}"));
            await client.SendAsync("40");
            Assert.That(await client.ReceiveAsync(), Is.EqualTo("44{\"message\":\"Invalid namespace\"}"));

            await client.SendAsync("40/market-data,{\"token\":\"" + edge.Token() + "\"}");
            Assert.That(await client.ReceiveAsync(), Does.StartWith("40/market-data,{\"sid\":"));
        }
    }

    [TestCase("{\"token\":\"invalid-token\"}", "TOKEN_MALFORMED")]
    [TestCase("{}", "TOKEN_MISSING")]
    [TestCase("{\"token\":7}", "TOKEN_MALFORMED")]
    [TestCase("{\"token\":\"a.b.c\"}", "TOKEN_BAD_SIGNATURE")]
    public async Task A_refused_token_is_a_connect_error_with_the_handshake_code(string auth, string code)
    {
        await using var edge = await RunningEdge.StartAsync();
        var (client, _) = await SocketIoTestClient.OpenAsync(edge.EndPoint);
        using (client)
        {
            await client.SendAsync("40/market-data," + auth);
            var error = await client.ReceiveAsync();

            Assert.That(error, Does.StartWith("44/market-data,{"));
            using var json = JsonDocument.Parse(error!["44/market-data,".Length..]);
            Assert.That(json.RootElement.GetProperty("data").GetProperty("code").GetString(), Is.Not.Empty);
            if (code != "TOKEN_BAD_SIGNATURE")
            {
                Assert.That(json.RootElement.GetProperty("data").GetProperty("code").GetString(), Is.EqualTo(code));
            }

            Assert.That(json.RootElement.GetProperty("message").GetString(), Is.Not.Empty);
        }
    }

    [TestCase("9nonsense", WebSocketCloseStatus.InvalidPayloadData)]
    [TestCase("4", WebSocketCloseStatus.InvalidPayloadData)]
    [TestCase("451-/market-data,[\"subscribe\",{\"_placeholder\":true,\"num\":0}]", WebSocketCloseStatus.InvalidPayloadData)]
    [TestCase("0{}", WebSocketCloseStatus.PolicyViolation)]
    public async Task A_malformed_packet_closes_its_connection_with_a_clear_code_and_other_clients_carry_on(string packet, WebSocketCloseStatus status)
    {
        await using var edge = await RunningEdge.StartAsync();
        using var bystander = await SocketIoTestClient.JoinAsync(edge.EndPoint, edge.Token());
        using var hostile = await SocketIoTestClient.JoinAsync(edge.EndPoint, edge.Token());

        await hostile.SendAsync(packet);

        Assert.That(await hostile.WaitForCloseAsync(), Is.EqualTo(status));
        Assert.That(hostile.CloseDescription, Is.Not.Empty);
        await AssertStillServedAsync(bystander);
    }

    [Test]
    public async Task A_binary_frame_closes_with_1003()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var bystander = await SocketIoTestClient.JoinAsync(edge.EndPoint, edge.Token());
        using var hostile = await SocketIoTestClient.JoinAsync(edge.EndPoint, edge.Token());

        await hostile.SendAsync([4, 1, 2, 3], WebSocketMessageType.Binary);

        Assert.That(await hostile.WaitForCloseAsync(), Is.EqualTo(WebSocketCloseStatus.InvalidMessageType));
        await AssertStillServedAsync(bystander);
    }

    [Test]
    public async Task A_packet_over_max_payload_closes_with_1009_and_one_over_the_frame_limit_too()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Session.MaxCommandBytes = 1024);
        using var bystander = await SocketIoTestClient.JoinAsync(edge.EndPoint, edge.Token());
        using var overPayload = await SocketIoTestClient.JoinAsync(edge.EndPoint, edge.Token());
        using var overFrame = await SocketIoTestClient.JoinAsync(edge.EndPoint, edge.Token());

        await overPayload.SendAsync("42/market-data,[\"subscribe\",{\"symbols\":[\"" + new string('A', 2000) + "\"]}]");
        await overFrame.SendAsync("42/market-data,[\"subscribe\",{\"x\":\"" + new string('A', 1_000_000) + "\"}]");

        Assert.That(await overPayload.WaitForCloseAsync(), Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
        Assert.That(await overFrame.WaitForCloseAsync(), Is.EqualTo(WebSocketCloseStatus.MessageTooBig));
        await AssertStillServedAsync(bystander);
    }

    [Test]
    public async Task An_invalid_event_is_answered_through_its_ack_and_the_connection_stays()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var client = await SocketIoTestClient.JoinAsync(edge.EndPoint, edge.Token());

        await client.SendAsync("42/market-data,5[\"subscribe\",{\"symbols\":[1,2]}]");
        Assert.That(await client.ReceiveAsync("43/market-data,5"), Is.EqualTo("43/market-data,5[{\"error\":\"symbols must be strings\"}]"));
        await client.SendAsync("42/market-data,6[\"bogus\"]");
        Assert.That(await client.ReceiveAsync("43/market-data,6"), Does.StartWith("43/market-data,6[{\"error\":\"unknown event"));
        await client.SendAsync("42/market-data,{not json");
        Assert.That(await client.ReceiveAsync("42/market-data,[\"error\""), Does.Contain("INVALID_MESSAGE"));
        await AssertStillServedAsync(client);
    }

    [Test]
    public async Task A_subscribed_symbol_gets_the_snapshot_then_prices_from_the_feed_in_the_original_shape()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var feed = await edge.FeedAsync("EUR/USD", 1.0841, 1.0843);
        using var client = await SocketIoTestClient.JoinAsync(edge.EndPoint, edge.Token());

        await client.SendAsync("42/market-data,1[\"subscribe\",{\"symbols\":[\"EUR/USD\"]}]");
        Assert.That(await client.ReceiveAsync("43/market-data,1"), Is.EqualTo("43/market-data,1[{\"subscribed\":[\"EUR/USD\"],\"errors\":[]}]"));
        // The first price may not have reached this loop yet: the snapshot holds it or nothing.
        var first = await client.ReceiveAsync("42/market-data,[\"snapshot\"");
        Assert.That(first, Does.Contain("1.0841").Or.EqualTo("42/market-data,[\"snapshot\",{\"prices\":[]}]"));
        feed.Publish("EUR/USD", 1.0851, 1.0853, 2);
        var price = await client.ReceiveAsync("42/market-data,[\"price\",{\"symbol\":\"EUR/USD\",\"bestBid\":{\"price\":1.0851");

        // Delivered through this loop, the price is now its latest: a new subscribe's snapshot carries exactly it.
        await client.SendAsync("42/market-data,2[\"subscribe\",{\"symbols\":[\"EUR/USD\"]}]");
        await client.ReceiveAsync("43/market-data,2");
        var snapshot = await client.ReceiveAsync("42/market-data,[\"snapshot\"");
        Assert.That(snapshot, Is.EqualTo("42/market-data,[\"snapshot\",{\"prices\":[" + price["42/market-data,[\"price\",".Length..^1] + "]}]"));

        using var json = JsonDocument.Parse(price["42/market-data,".Length..]);
        var body = json.RootElement[1];
        Assert.That(body.GetProperty("symbol").GetString(), Is.EqualTo("EUR/USD"));
        Assert.That(body.GetProperty("bestBid").GetProperty("price").GetDouble(), Is.EqualTo(1.0851));
        Assert.That(body.GetProperty("bestAsk").GetProperty("price").GetDouble(), Is.EqualTo(1.0853));
        Assert.That(body.GetProperty("sequence").GetInt64(), Is.EqualTo(2));
        // The feed's 1 700 000 000 000 000 002 ns, as a JavaScript number of milliseconds.
        Assert.That(body.GetProperty("timestamp").GetRawText(), Is.EqualTo("1700000000000"));
    }

    [Test]
    public async Task The_tenant_connection_quota_counts_joined_sessions_and_a_rejoin_on_one_connection_takes_one_slot()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Tenancy.Default.MaxConnections = 1);
        using var first = await SocketIoTestClient.JoinAsync(edge.EndPoint, edge.Token());
        for (var i = 0; i < 3; i++)
        {
            await first.SendAsync("41/market-data,");
            await first.SendAsync("40/market-data,{\"token\":\"" + edge.Token() + "\"}");
            await first.ReceiveAsync("40/market-data,{\"sid\":");
        }

        var (second, _) = await SocketIoTestClient.OpenAsync(edge.EndPoint);
        using (second)
        {
            await second.SendAsync("40/market-data,{\"token\":\"" + edge.Token() + "\"}");
            Assert.That(await second.ReceiveAsync(), Does.Contain("\"code\":\"TOO_MANY_CONNECTIONS\""));

            // The first leaves the namespace: its slot is free for the second at once.
            await first.SendAsync("41/market-data,");
            await AssertStillServedAfterLeaveAsync(first);
            await second.SendAsync("40/market-data,{\"token\":\"" + edge.Token() + "\"}");
            Assert.That(await second.ReceiveAsync(), Does.StartWith("40/market-data,{\"sid\":"));
        }
    }

    /// <summary>A connection that left the namespace stays open: another namespace's CONNECT is still answered.</summary>
    private static async Task AssertStillServedAfterLeaveAsync(SocketIoTestClient client)
    {
        await client.SendAsync("40/other,");
        Assert.That(await client.ReceiveAsync("44/other"), Is.EqualTo("44/other,{\"message\":\"Invalid namespace\"}"));
    }

    [Test]
    public async Task Feed_up_and_down_reach_a_joined_client_as_status_events()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var client = await SocketIoTestClient.JoinAsync(edge.EndPoint, edge.Token());

        var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("EUR/USD", 1.08, 1.09, 1);
        var up = await client.ReceiveAsync("42/market-data,[\"status\"");
        feed.Dispose();
        var down = await client.ReceiveAsync("42/market-data,[\"status\"");

        Assert.That(up, Does.StartWith("42/market-data,[\"status\",{\"feed\":\"up\""));
        Assert.That(down, Does.StartWith("42/market-data,[\"status\",{\"feed\":\"down\""));
    }

    [Test]
    public async Task Shutdown_closes_socket_io_clients_with_1001_so_socket_io_client_reconnects()
    {
        await using var edge = await RunningEdge.StartAsync();
        using var client = await SocketIoTestClient.JoinAsync(edge.EndPoint, edge.Token());

        var stopping = edge.Host.StopAsync();
        var status = await client.WaitForCloseAsync();
        await stopping;

        Assert.That(status, Is.EqualTo(WebSocketCloseStatus.EndpointUnavailable));
        Assert.That(client.CloseDescription, Does.Contain("shutting down"));
    }

    /// <summary>The client's session still answers: a subscribe gets its ack.</summary>
    private static async Task AssertStillServedAsync(SocketIoTestClient client)
    {
        await client.SendAsync("42/market-data,99[\"unsubscribe\",{\"symbols\":[\"EUR/USD\"]}]");
        Assert.That(await client.ReceiveAsync("43/market-data,99"), Is.EqualTo("43/market-data,99[{\"unsubscribed\":[\"EUR/USD\"]}]"));
        Assert.That(client.CloseStatus, Is.Null);
    }
}
