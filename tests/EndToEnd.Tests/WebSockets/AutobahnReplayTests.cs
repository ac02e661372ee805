using System.Net.Sockets;
using Edge.EndToEnd.Tests.Support;
using Edge.Protocol.WebSockets;
using Edge.Server.Configuration;

namespace Edge.EndToEnd.Tests.WebSockets;

/// <summary>
/// Autobahn sections 1-7 replayed with a raw-socket client against the conformance echo endpoint of a real server:
/// what the server answers (echoes, pongs), the close code it closes with, and that it then ends TCP.
/// </summary>
public sealed class AutobahnReplayTests
{
    private RunningTransport _edge = null!;

    [OneTimeSetUp]
    public async Task StartServer()
    {
        var options = new EdgeOptions();
        options.WebSocket.EchoPath = "/echo";
        _edge = await RunningTransport.StartAsync(options);
    }

    [OneTimeTearDown]
    public async Task StopServer() => await _edge.DisposeAsync();

    private static IEnumerable<TestCaseData> Cases() =>
        AutobahnCases.All().Select(c => new TestCaseData(c).SetName("Autobahn_" + c.Id));

    [TestCaseSource(nameof(Cases))]
    public async Task Case(AutobahnCase autobahn)
    {
        using var client = await RawWebSocket.OpenAsync(_edge.EndPoint, "/echo");
        Assert.That(client.Status, Is.EqualTo(101));

        await WriteAllAsync(client, autobahn);
        var frames = await client.ReadUntilCloseAsync();

        Assert.That(frames, Is.Not.Empty, "the server answers before it closes");
        var close = frames[^1];
        Assert.That(close.Opcode, Is.EqualTo(WebSocketOpcode.Close), "the server closes with a close frame, not a dropped connection");
        Assert.That(close.CloseCode, Is.EqualTo(autobahn.CloseCode));
        var answers = frames.Take(frames.Count - 1).ToList();
        Assert.That(answers.Select(f => f.Opcode), Is.EqualTo(autobahn.Expected.Select(e => e.Opcode)));
        for (var i = 0; i < answers.Count; i++)
        {
            Assert.That(answers[i].Fin, Is.True);
            Assert.That(answers[i].Payload, Is.EqualTo(autobahn.Expected[i].Payload), $"answer {i}");
        }

        Assert.That(await client.WaitForEndAsync(), Is.True, "the server closes TCP after the close handshake");
    }

    private static async Task WriteAllAsync(RawWebSocket client, AutobahnCase autobahn)
    {
        try
        {
            foreach (var write in autobahn.Writes)
            {
                await client.SendAsync(write);
            }

            if (autobahn.AppendClose)
            {
                await client.SendAsync(WireFrame.Close(1000));
            }
        }
        catch (SocketException)
        {
            // The server may already have failed the connection; what it answered is still to be read.
        }
    }
}
