using System.Net;
using Edge.EndToEnd.Tests.Deployment;
using Edge.Protocol.WebSockets;

namespace Edge.EndToEnd.Tests.WebSockets;

/// <summary>
/// The trimmed native binary (scripts/test sets EDGE_BINARY) upgrades to WebSocket and runs the codec: DotNetty
/// reflects over handler methods, so a handler the trimmer cut would fail here and nowhere else.
/// </summary>
public sealed class PublishedBinaryWebSocketTests
{
    [Test]
    public async Task The_native_binary_echoes_on_the_echo_endpoint_and_fails_a_bad_frame_with_1002()
    {
        using var edge = EdgeBinary.Start(["--port", "0", "--BindAddress", "127.0.0.1", "--WebSocket:EchoPath", "/echo"]);
        var endPoint = new IPEndPoint(IPAddress.Loopback, await edge.ReadPortAsync());
        edge.DrainOutput();
        using (var client = await RawWebSocket.OpenAsync(endPoint, "/echo", eager: WireFrame.Text("eager")))
        {
            Assert.That(client.Status, Is.EqualTo(101));
            await client.SendAsync([.. WireFrame.Masked(WebSocketOpcode.Ping, [1, 2]), .. WireFrame.Binary([9, 8, 7], fin: false), .. WireFrame.Continuation([6], fin: true)]);
            var eager = await client.ReadFrameAsync();
            var pong = await client.ReadFrameAsync();
            var binaryEcho = await client.ReadFrameAsync();
            Assert.That(eager!.PayloadText, Is.EqualTo("eager"));
            Assert.That(pong!.Opcode, Is.EqualTo(WebSocketOpcode.Pong));
            Assert.That(binaryEcho!.Payload, Is.EqualTo(new byte[] { 9, 8, 7, 6 }));
            await client.SendAsync(WireFrame.Close(1000));
            Assert.That((await client.ReadUntilCloseAsync()).Single().CloseCode, Is.EqualTo(1000));
        }

        using (var hostile = await RawWebSocket.OpenAsync(endPoint, "/echo"))
        {
            await hostile.SendAsync(WireFrame.Raw(0xC1, [1]));
            Assert.That((await hostile.ReadUntilCloseAsync()).Single().CloseCode, Is.EqualTo(1002));
        }
    }
}
