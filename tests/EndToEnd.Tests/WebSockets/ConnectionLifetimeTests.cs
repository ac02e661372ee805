using System.Net.WebSockets;
using System.Text;
using Edge.EndToEnd.Tests.Support;
using Edge.Server.Configuration;

namespace Edge.EndToEnd.Tests.WebSockets;

/// <summary>Timeouts and the server-initiated close handshake, over real sockets.</summary>
public sealed class ConnectionLifetimeTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Test]
    public async Task A_slowloris_connection_is_closed_after_the_handshake_timeout_while_an_upgraded_one_stays()
    {
        using var auth = new TestAuth();
        var probe = new MarketDataProbe();
        var options = new EdgeOptions();
        // 3 s: the upgraded connection must finish its own handshake inside it, also on a loaded machine.
        options.WebSocket.HandshakeTimeoutSeconds = 3;
        options.WebSocket.EchoPath = "/echo";
        await using var edge = await RunningTransport.StartAsync(options, probe.Admission(auth));
        using var upgraded = await RawWebSocket.OpenAsync(edge.EndPoint, "/echo");
        Assert.That(upgraded.Status, Is.EqualTo(101));
        using var slow = await RawWebSocket.ConnectAsync(edge.EndPoint);

        await slow.SendAsync(Encoding.ASCII.GetBytes("GET /market-data HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n"));
        var closed = await slow.WaitForEndAsync();

        Assert.That(closed, Is.True, "the server closed the connection that never finished its request");
        Assert.That(edge.Server.WebSocketCounters.HandshakeTimeouts.Value, Is.EqualTo(1));

        // The slow connection's timeout has passed; the upgraded connection, older than it, still works.
        await upgraded.SendAsync(WireFrame.Text("alive"));
        Assert.That((await upgraded.ReadFrameAsync())!.PayloadText, Is.EqualTo("alive"));
    }

    [Test]
    public async Task A_server_close_reaches_ClientWebSocket_and_completes_when_it_answers()
    {
        using var auth = new TestAuth();
        var probe = new MarketDataProbe();
        await using var edge = await RunningTransport.StartAsync(new EdgeOptions(), probe.Admission(auth));
        using var client = new ClientWebSocket();
        client.Options.SetRequestHeader("Authorization", "Bearer " + auth.Token());
        using var cts = new CancellationTokenSource(Bound);
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{edge.EndPoint.Port}/market-data"), cts.Token);

        await client.SendAsync("close 4003"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, cts.Token);
        var result = await client.ReceiveAsync(new byte[256], cts.Token);

        Assert.That(result.MessageType, Is.EqualTo(WebSocketMessageType.Close));
        Assert.That((int)client.CloseStatus!, Is.EqualTo(4003));
        Assert.That(client.CloseStatusDescription, Is.EqualTo("bye"));

        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
        Assert.That(probe.ServerCloses.TryPeek(out var serverClosed), Is.True);
        await serverClosed!.WaitAsync(Bound);
        Assert.That(edge.Server.WebSocketCounters.CloseTimeouts.Value, Is.Zero, "closed on the client's answer, not by the timer");
    }

    [Test]
    public async Task A_client_that_never_answers_a_server_close_is_cut_off_after_the_close_timeout()
    {
        using var auth = new TestAuth();
        var probe = new MarketDataProbe();
        var options = new EdgeOptions();
        options.WebSocket.CloseTimeoutSeconds = 1;
        await using var edge = await RunningTransport.StartAsync(options, probe.Admission(auth));
        using var client = await RawWebSocket.OpenAsync(edge.EndPoint, "/market-data?token=" + auth.Token());

        await client.SendAsync(WireFrame.Text("close 1001"));
        var frames = await client.ReadUntilCloseAsync();
        var ended = await client.WaitForEndAsync();

        Assert.That(frames.Single().CloseCode, Is.EqualTo(1001));
        Assert.That(ended, Is.True);
        Assert.That(edge.Server.WebSocketCounters.CloseTimeouts.Value, Is.EqualTo(1));
    }

    [Test]
    public async Task No_data_frame_follows_the_server_close_frame()
    {
        using var auth = new TestAuth();
        var probe = new MarketDataProbe();
        await using var edge = await RunningTransport.StartAsync(new EdgeOptions(), probe.Admission(auth));
        using var client = await RawWebSocket.OpenAsync(edge.EndPoint, "/market-data?token=" + auth.Token());

        // The close request and more messages in one write: the echoes of the later ones must not go out.
        await client.SendAsync([.. WireFrame.Text("close 1000"), .. WireFrame.Text("after 1"), .. WireFrame.Text("after 2")]);
        var frames = await client.ReadUntilCloseAsync();
        await client.SendAsync(WireFrame.Close(1000));

        Assert.That(frames.Single().CloseCode, Is.EqualTo(1000));
        Assert.That(await client.WaitForEndAsync(), Is.True);
    }
}
