using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Edge.EndToEnd.Tests.Support;
using Edge.Protocol.Client;

namespace Edge.EndToEnd.Tests;

/// <summary>
/// Runs the trimmed native binary that scripts/publish produced (scripts/test sets EDGE_BINARY). It proves the
/// DotNetty pipeline survives trimming: the known crash is a TypeInitializationException at the first channel.
/// </summary>
public sealed partial class PublishedBinaryTests
{
    private const int SigTerm = 15;

    [Test]
    public async Task The_native_binary_serves_healthz_and_exits_0_on_SIGTERM()
    {
        var binary = Environment.GetEnvironmentVariable("EDGE_BINARY");
        if (string.IsNullOrEmpty(binary))
        {
            Assert.Ignore("EDGE_BINARY is not set: scripts/test publishes the native binary and sets it.");
        }

        Assert.That(File.Exists(binary), Is.True, $"EDGE_BINARY points at a missing file: {binary}");
        var start = new ProcessStartInfo(binary!, ["--port", "0", "--BindAddress", "127.0.0.1", "--Ingest:Endpoint", "127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            var port = await ReadPortAsync(process);
            var first = await RawHttp.GetAsync(new IPEndPoint(IPAddress.Loopback, port), "/healthz");
            var metrics = await RawHttp.GetAsync(new IPEndPoint(IPAddress.Loopback, port), "/metrics");

            Assert.That(first.Status, Is.EqualTo(200));
            Assert.That(metrics.Status, Is.EqualTo(200));
            Assert.That(metrics.Body, Does.Contain("edge_ring_capacity"));

            Assert.That(Kill(process.Id, SigTerm), Is.EqualTo(0));
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(exited.Token);
            Assert.That(process.ExitCode, Is.EqualTo(0));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Test]
    public async Task The_native_binary_in_demo_mode_streams_live_prices_to_a_websocket_client()
    {
        var binary = Environment.GetEnvironmentVariable("EDGE_BINARY");
        if (string.IsNullOrEmpty(binary))
        {
            Assert.Ignore("EDGE_BINARY is not set: scripts/test publishes the native binary and sets it.");
        }

        var start = new ProcessStartInfo(binary!, ["--port", "0", "--BindAddress", "127.0.0.1", "--Ingest:Endpoint", "127.0.0.1:0", "--Log:Format", "text"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            var port = await ReadPortAsync(process);
            var token = await ReadTokenAsync(process);
            using var client = await MarketDataClient.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), token, ClientEncoding.Json);
            await client.ReceiveAsync(ServerMessageType.Connected);
            await client.SubscribeAsync("EUR/USD", "BTC/USD", "AAPL");
            var ack = await client.ReceiveAsync(ServerMessageType.Ack);
            var price = await client.ReceiveAsync(ServerMessageType.Price);

            Assert.That(ack.Symbols, Is.EquivalentTo(new[] { "EUR/USD", "BTC/USD", "AAPL" }));
            Assert.That(price.Price!.Ask.Price, Is.GreaterThan(price.Price.Bid.Price));
            Assert.That(Kill(process.Id, SigTerm), Is.EqualTo(0));
            using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(exited.Token);
            Assert.That(process.ExitCode, Is.EqualTo(0));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Test]
    public async Task Two_native_binaries_share_a_multicast_group_and_a_bad_channel_exits_2()
    {
        var binary = Environment.GetEnvironmentVariable("EDGE_BINARY");
        if (string.IsNullOrEmpty(binary))
        {
            Assert.Ignore("EDGE_BINARY is not set: scripts/test publishes the native binary and sets it.");
        }

        using (var refused = Process.Start(new ProcessStartInfo(binary!, ["--Ingest:Channel", "aeron:udp?endpoint=239.1.1.2:40456|interface=127.0.0.1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!)
        {
            using var exitedRefused = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var refusal = await refused.StandardError.ReadToEndAsync(exitedRefused.Token);
            await refused.WaitForExitAsync(exitedRefused.Token);
            Assert.That(refused.ExitCode, Is.EqualTo(2));
            Assert.That(refusal, Does.Contain("last octet must be odd"));
        }

        // The demo Edge publishes its demo feed to the group it listens on; the other (not in demo mode) only listens.
        using var probe = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Any, 0));
        var group = $"239.255.{Random.Shared.Next(1, 255)}.{(Random.Shared.Next(0, 126) * 2) + 1}:{((IPEndPoint)probe.LocalEndPoint!).Port}";
        probe.Close();
        var channel = $"aeron:udp?endpoint={group}|interface=127.0.0.1|ttl=0";
        var secret = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        using var publishing = Process.Start(new ProcessStartInfo(binary!, ["--port", "0", "--BindAddress", "127.0.0.1", "--Ingest:Channel", channel])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        using var listening = Process.Start(new ProcessStartInfo(binary!,
            ["--port", "0", "--BindAddress", "127.0.0.1", "--Ingest:Channel", channel, "--Demo:Enabled", "false", "--Auth:Issuer", "iss",
             "--Auth:Audience", "aud", "--Auth:Keys:0:Algorithm", "HS256", "--Auth:Keys:0:Secret", secret])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        try
        {
            await ReadPortAsync(publishing);
            var endPoint = new IPEndPoint(IPAddress.Loopback, await ReadPortAsync(listening));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while ((await RawHttp.GetAsync(endPoint, "/readyz")).Status != 200)
            {
                await Task.Delay(50, timeout.Token);
            }

            // Ready means the image is live (its SETUP came); the first data frames may still be on their way.
            var metrics = string.Empty;
            await Edge.Tests.Shared.Eventually.WaitUntilAsync(
                async () => System.Text.RegularExpressions.Regex.IsMatch(metrics = (await RawHttp.GetAsync(endPoint, "/metrics")).Body, @"edge_aeron_messages_total [1-9]"),
                "the listening Edge received the demo feed's messages over the group",
                TimeSpan.FromSeconds(60));
            Assert.That(metrics, Does.Contain("kind=\"multicast\"} "));
        }
        finally
        {
            foreach (var process in new[] { publishing, listening })
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
            }
        }
    }

    private static async Task<string> ReadTokenAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("edge exited before printing a token");
            const string Marker = "development token";
            var at = line.IndexOf(Marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                return line[(line.LastIndexOf(' ') + 1)..];
            }
        }
    }

    private static async Task<int> ReadPortAsync(Process process)
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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
