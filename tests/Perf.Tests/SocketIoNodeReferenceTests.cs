using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Edge.Perf.Clients;
using Edge.Perf.Feed;
using Edge.Perf.Reports;
using Edge.Perf.Runs;
using Edge.Perf.Target;
using Edge.Protocol;
using Edge.Protocol.Ingest;
using Edge.Protocol.WebSockets;
using Edge.Server.Auth;
using Edge.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Perf.Tests;

/// <summary>
/// The original stack as a reference (perf/socketio-reference): a real socket.io 4 server on Node (npm ci'd from its
/// lockfile), driven by edge-perf's socket.io client over real sockets and fed over real UDP on loopback; then a whole
/// side-by-side run against an in-process Edge's socket.io transport.
/// </summary>
public sealed class SocketIoNodeReferenceTests
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(20);

    private string _directory = string.Empty;
    private string _source = string.Empty;

    [OneTimeSetUp]
    public void Install()
    {
        if (SocketIoNodeServer.FindNode() is null)
        {
            Assert.Ignore("node is not installed (scripts/setup installs it): socket.io on Node cannot be measured here");
        }

        _source = SocketIoNodeServer.EnsureInstalled();
        Assert.That(File.Exists(Path.Combine(_source, "node_modules", "socket.io", "package.json")), "npm ci installed socket.io");
        _directory = Path.Combine(Path.GetTempPath(), "edge-socketio-node-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [OneTimeTearDown]
    public void Clean()
    {
        if (_directory.Length > 0)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Test]
    public async Task It_joins_with_a_token_acks_the_subscribe_and_emits_udp_prices_in_the_original_shape()
    {
        await using var server = await SocketIoNodeServer.StartAsync(_source, null, Path.Combine(_directory, "direct.log"));

        // No token: CONNECT_ERROR with the code, and the connection stays open for another try.
        using var client = await UpgradeAsync(server);
        await SendAsync(client, WebSocketClientProtocol.MaskedFrame((byte)WebSocketOpcode.Text, "40/market-data,"u8, new Random(1)));
        var refused = await ReadTextAsync(client);
        Assert.That(refused, Does.StartWith("44/market-data,"));
        Assert.That(refused, Does.Contain("\"code\":\"TOKEN_MISSING\""));

        await SendAsync(client, SocketIoClientProtocol.ConnectFrame("any-token", new Random(2)));
        Assert.That(SocketIoClientProtocol.Read(Encoding.ASCII.GetBytes(await ReadTextAsync(client)), out _), Is.EqualTo(ServerMessageKind.Joined));
        Assert.That(await ReadTextAsync(client), Does.StartWith("42/market-data,[\"connected\","));
        await SendAsync(client, SocketIoClientProtocol.SubscribeFrame([3, 7], new Random(3)));
        var ack = await ReadTextAsync(client);
        Assert.That(ack, Is.EqualTo("43/market-data,1[{\"subscribed\":[\"S3\",\"S7\"],\"errors\":[]}]"));

        // One datagram with three ingest messages; S5 has no subscriber.
        var quotes = new Dictionary<int, Quote>
        {
            [3] = new Quote(100.25, 1_000_000, 100.26, 1_500_000, 1_700_000_000_123_456_789, 1),
            [5] = new Quote(7.5, 10, 7.75, 20, 1_700_000_000_223_456_789, 1),
            [7] = new Quote(0.0001, 0.5, 0.0002, 0.25, 1_700_000_000_323_456_789, 300),
        };
        using (var feed = new UdpIngestSender(server.Ingest, UdpBatching.Tick))
        {
            var message = new byte[IngestSchema.MaxMessageLength];
            foreach (var (symbol, quote) in quotes)
            {
                feed.Add(message.AsSpan(0, IngestPriceEncoder.Encode(message, "S" + symbol, "PERF", "PERF2", quote)));
            }

            feed.Flush();
        }

        foreach (var symbol in new[] { 3, 7 })
        {
            var text = await ReadTextAsync(client);
            Assert.That(SocketIoClientProtocol.Read(Encoding.ASCII.GetBytes(text), out var price), Is.EqualTo(ServerMessageKind.Price), text);
            Assert.That(price.Symbol, Is.EqualTo(symbol), "S5 is not subscribed, so S3 then S7");
            Assert.That(price.Sequence, Is.EqualTo(quotes[symbol].Sequence));

            // The original gateway's shape, as Edge's socket.io transport sends it: ms timestamps, derived values.
            using var json = JsonDocument.Parse(text["42/market-data,".Length..]);
            var data = json.RootElement[1];
            var q = quotes[symbol];
            var mid = (q.BidPrice + q.AskPrice) / 2;
            Assert.Multiple(() =>
            {
                Assert.That(json.RootElement[0].GetString(), Is.EqualTo("price"));
                Assert.That(data.GetProperty("symbol").GetString(), Is.EqualTo("S" + symbol));
                Assert.That(data.GetProperty("bestBid").GetProperty("price").GetDouble(), Is.EqualTo(q.BidPrice));
                Assert.That(data.GetProperty("bestBid").GetProperty("size").GetDouble(), Is.EqualTo(q.BidSize));
                Assert.That(data.GetProperty("bestBid").GetProperty("source").GetString(), Is.EqualTo("PERF"));
                Assert.That(data.GetProperty("bestAsk").GetProperty("price").GetDouble(), Is.EqualTo(q.AskPrice));
                Assert.That(data.GetProperty("bestAsk").GetProperty("size").GetDouble(), Is.EqualTo(q.AskSize));
                Assert.That(data.GetProperty("bestAsk").GetProperty("source").GetString(), Is.EqualTo("PERF2"));
                Assert.That(data.GetProperty("midPrice").GetDouble(), Is.EqualTo(mid));
                Assert.That(data.GetProperty("spread").GetDouble(), Is.EqualTo(q.AskPrice - q.BidPrice));
                Assert.That(data.GetProperty("spreadBps").GetDouble(), Is.EqualTo((q.AskPrice - q.BidPrice) / mid * 10000));
                Assert.That(data.GetProperty("timestamp").GetInt64(), Is.EqualTo(q.Timestamp / 1_000_000), "milliseconds, as the original");
                Assert.That(data.GetProperty("sequence").GetInt64(), Is.EqualTo((long)q.Sequence));
            });
        }

        using var http = new HttpClient { Timeout = ReadTimeout };
        var metrics = EdgeMetrics.Parse(await http.GetStringAsync(new Uri(server.BaseUri, "/metrics")));
        Assert.Multiple(() =>
        {
            Assert.That(metrics["edge_ingest_messages_total"], Is.EqualTo(3));
            Assert.That(metrics["edge_fanout_deliveries_total"], Is.EqualTo(2));
            Assert.That(metrics["edge_sessions"], Is.EqualTo(1));
            Assert.That(metrics["edge_subscriptions"], Is.EqualTo(2));
            Assert.That(metrics["edge_symbols"], Is.EqualTo(3));
        });
    }

    [Test]
    public async Task A_side_by_side_run_measures_edges_socketio_and_socketio_on_node_and_stops_node()
    {
        var secret = DevTokenIssuer.GenerateSecret();
        var edgeOptions = PerfEdgeOptions.For(secret);
        Assert.That(edgeOptions.Validate(), Is.Empty);
        var output = Path.Combine(_directory, "side-by-side");
        await using var host = new EdgeHost(edgeOptions, NullLoggerFactory.Instance);
        await host.StartAsync();
        var options = PerfOptions.Parse(
        [
            "run",
            "--url", $"http://127.0.0.1:{host.Server.LocalEndPoint!.Port}",
            "--ingest", host.IngestEndPoint.ToString(),
            "--secret", secret,
            "--transport", "socketio",
            "--against", "socketio-node",
            "--connections", "20",
            "--symbols", "50",
            "--symbols-per-connection", "5",
            "--rate", "200",
            "--ramp-up", "0.5",
            "--warmup", "0.5",
            "--duration", "2",
            "--source-addresses", "3",
            "--out", output,
            "--no-progress",
        ]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        var report = await CapacityRun.ExecuteAsync(options, TextWriter.Null, timeout.Token);

        var node = report.Reference;
        Assert.That(node, Is.Not.Null, "a side-by-side run has socket.io on Node's figures");
        Assert.That(report.Target, Is.EqualTo(PerfReport.EdgeName));
        Assert.That(node!.Target, Is.EqualTo(PerfReport.SocketIoNodeName));
        foreach (var target in new[] { report, node })
        {
            var step = target.Steps.Single();
            Assert.Multiple(() =>
            {
                Assert.That(target.ConnectionsSubscribed, Is.EqualTo(20), target.Target + ": every connection joined and subscribed: " + string.Join("; ", target.Notes));
                Assert.That(target.HandshakesFailed + target.ConnectFailures + target.SubscribeErrors, Is.Zero, target.Target);
                Assert.That(step.Published, Is.GreaterThan(0), target.Target);
                Assert.That(step.Delivered, Is.GreaterThan(0), target.Target + ": prices delivered");
                Assert.That(step.Gaps, Is.Zero, target.Target + ": no sequence skipped");
                Assert.That(step.OutOfOrder + step.Unexpected, Is.Zero, target.Target + ": every price parsed and for a subscribed symbol");
                Assert.That(double.IsFinite(step.EdgeCpuSeconds) && step.EdgeRssEnd > 0, target.Target + ": CPU and RSS sampled from /proc");
                Assert.That(target.FinalsMissing, Is.Zero, target.Target + ": each subscription ended on the last price");
                Assert.That(target.FinalsChecked, Is.EqualTo(100), target.Target);
            });
        }

        var described = report.Settings.Single(s => s.Key == PerfReport.SocketIoNodeName).Value;
        Assert.That(described, Does.Contain("socket.io 4.8."));
        var pid = int.Parse(described[(described.IndexOf("(pid ", StringComparison.Ordinal) + 5)..described.IndexOf(',', described.IndexOf("(pid ", StringComparison.Ordinal))], CultureInfo.InvariantCulture);
        Assert.That(Directory.Exists($"/proc/{pid}"), Is.False, "the run stopped the node it started");
        var markdown = await File.ReadAllTextAsync(Path.Combine(output, "report.md"));
        Assert.That(markdown, Does.Contain("## Edge against socket.io on Node (ratio Edge / reference"));
        Assert.That(markdown, Does.Contain("## Throughput and latency — socket.io on Node"));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "report.json")));
        Assert.That(json.RootElement.GetProperty("reference").GetProperty("target").GetString(), Is.EqualTo(PerfReport.SocketIoNodeName));
        Assert.That(json.RootElement.GetProperty("comparison")[0].GetProperty("cpuPerDeliveryRatio").GetDouble(), Is.GreaterThan(0));
    }

    [Test]
    public void Socketio_node_needs_the_socketio_transport_and_a_measured_command()
    {
        var existing = new[] { "run", "--url", "http://127.0.0.1:1", "--ingest", "127.0.0.1:2", "--secret", "x" };
        var options = PerfOptions.Parse([.. existing, "--transport", "socketio", "--against", "socketio-node"]);
        Assert.That(options.Targets, Is.EqualTo(PerfTargets.Both));
        Assert.That(options.Reference, Is.EqualTo(ReferenceKind.SocketIoNode));
        Assert.That(PerfOptions.Parse([.. existing, "--against", "reference"]).Reference, Is.EqualTo(ReferenceKind.CServer));
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse([.. existing, "--against", "socketio-node"]), "socket.io on Node speaks socket.io only");
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse([.. existing, "--transport", "socketio", "--against", "reference"]), "the C reference speaks WebSocket only");
        Assert.Throws<ArgumentException>(() => PerfOptions.Parse([.. existing, "--against", "uws"]));
    }

    private static async Task<Socket> UpgradeAsync(ListeningServerProcess server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.BaseUri.Port));
            await SendAsync(socket, SocketIoClientProtocol.UpgradeRequest($"127.0.0.1:{server.BaseUri.Port}"));
            var received = new List<byte>();
            using var timeout = new CancellationTokenSource(ReadTimeout);
            var buffer = new byte[1];
            int status;
            // One byte at a time up to the end of the head, so the open packet after it stays unread.
            while (WebSocketClientProtocol.ResponseHead(received.ToArray(), out status) == 0)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                Assert.That(n, Is.GreaterThan(0), "the server closed during the upgrade");
                received.Add(buffer[0]);
            }

            Assert.That(status, Is.EqualTo(101), Encoding.ASCII.GetString(received.ToArray()));
            var open = await ReadTextAsync(socket);
            Assert.That(open, Does.StartWith("0{\"sid\":"), "the Engine.IO open packet");
            Assert.That(open, Does.Contain("\"upgrades\":[]"), "WebSocket only");
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Task SendAsync(Socket socket, byte[] bytes) => ServerFrameReader.SendAllAsync(socket, bytes);

    /// <summary>Reads exactly one server text frame and returns its payload.</summary>
    private static async Task<string> ReadTextAsync(Socket socket)
    {
        var (frame, headerLength, opcode) = await ServerFrameReader.ReadFrameAsync(socket, ReadTimeout);
        Assert.That(opcode, Is.EqualTo((byte)WebSocketOpcode.Text), "socket.io sends text frames");
        return Encoding.UTF8.GetString(frame, headerLength, frame.Length - headerLength);
    }
}
