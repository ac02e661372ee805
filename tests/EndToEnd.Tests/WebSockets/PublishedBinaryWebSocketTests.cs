using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Edge.Protocol.WebSockets;

namespace Edge.EndToEnd.Tests.WebSockets;

/// <summary>
/// The trimmed native binary (scripts/test sets EDGE_BINARY) upgrades to WebSocket and runs the codec: DotNetty
/// reflects over handler methods, so a handler the trimmer cut would fail here and nowhere else.
/// </summary>
public sealed partial class PublishedBinaryWebSocketTests
{
    [Test]
    public async Task The_native_binary_echoes_on_the_echo_endpoint_and_fails_a_bad_frame_with_1002()
    {
        var binary = Environment.GetEnvironmentVariable("EDGE_BINARY");
        if (string.IsNullOrEmpty(binary))
        {
            Assert.Ignore("EDGE_BINARY is not set: scripts/test publishes the native binary and sets it.");
        }

        var start = new ProcessStartInfo(binary!, ["--port", "0", "--BindAddress", "127.0.0.1", "--WebSocket:EchoPath", "/echo"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            var endPoint = new IPEndPoint(IPAddress.Loopback, await ReadPortAsync(process));
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
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }
        }
    }

    /// <summary>The HTTP port from the binary's "listening on" line (Edge started with --port 0).</summary>
    internal static async Task<int> ReadPortAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                ?? throw new InvalidOperationException("edge exited before listening: " + await process.StandardError.ReadToEndAsync(timeout.Token));
            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }

    [GeneratedRegex(@"listening on http://[^\s]*:(\d+)")]
    private static partial Regex ListeningLine();
}
