using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Xml;
using Edge.Perf.Clients;
using Edge.Perf.Feed;
using Edge.Perf.Runs;
using Edge.Perf.Target;
using Edge.Protocol;
using Edge.Protocol.Client;
using Edge.Protocol.Ingest;
using Edge.Protocol.WebSockets;
using Edge.Server.Auth;
using Edge.Server.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Edge.Perf.Tests;

/// <summary>
/// The C reference server (perf/reference-server), built with gcc and run as a process: driven by edge-perf's own
/// client protocol code over real sockets and fed over real UDP on loopback; then a whole side-by-side run.
/// </summary>
public sealed class ReferenceServerTests
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(20);

    private string _directory = string.Empty;
    private string _binary = string.Empty;

    [OneTimeSetUp]
    public void Build()
    {
        _directory = Path.Combine(Path.GetTempPath(), "edge-reference-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        _binary = Path.Combine(_directory, "reference-server");
        ReferenceServer.EnsureBuilt(_binary);
        Assert.That(File.Exists(_binary), "gcc built the reference server");
    }

    [OneTimeTearDown]
    public void Clean() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task It_upgrades_acks_and_fans_out_udp_prices_in_the_bytes_edge_sends()
    {
        await using var server = await ReferenceServer.StartAsync(_binary, null, Path.Combine(_directory, "upgrade.log"));
        using var first = await UpgradeAsync(server);

        // Subscribe to S3 and S7 before any price: an ack, and no snapshot (nothing known yet).
        await SendAsync(first, WebSocketClientProtocol.SubscribeFrame([3, 7], new Random(1)));
        var ack = await ReadFrameAsync(first);
        Assert.That(WebSocketClientProtocol.Read(ack, out _), Is.EqualTo(ServerMessageKind.Ack), "an ack with an empty errors list");

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
            Assert.That(feed.Datagrams, Is.EqualTo(1));
        }

        var encoder = new PriceFrameEncoder();
        foreach (var symbol in new[] { 3, 7 })
        {
            var frame = await ReadFrameAsync(first, payloadOnly: false);
            var length = (int)WebSocketClientProtocol.FrameLength(frame, out var headerLength, out var opcode);
            Assert.That(opcode, Is.EqualTo((byte)WebSocketOpcode.Binary));
            Assert.That(WebSocketClientProtocol.Read(frame.AsSpan(headerLength, length - headerLength), out var price), Is.EqualTo(ServerMessageKind.Price));
            Assert.That(price.Symbol, Is.EqualTo(symbol), "S5 is not subscribed, so S3 then S7");
            Assert.That(price.Timestamp, Is.EqualTo(quotes[symbol].Timestamp));
            Assert.That(price.Sequence, Is.EqualTo(quotes[symbol].Sequence));

            // Byte for byte the frame Edge's hot path encodes for the same quote, header included.
            var expected = new byte[PriceFrameEncoder.MaxFrameLength];
            var expectedLength = encoder.EncodeMessagePackFrame(expected, Encoding.ASCII.GetBytes("S" + symbol), "PERF"u8, "PERF2"u8, quotes[symbol]);
            Assert.That(frame, Is.EqualTo(expected.AsSpan(0, expectedLength).ToArray()));
        }

        // A later subscriber to a known and an unknown symbol: the ack, then a snapshot holding the known one.
        using var second = await UpgradeAsync(server);
        await SendAsync(second, WebSocketClientProtocol.SubscribeFrame([3, 9], new Random(2)));
        Assert.That(WebSocketClientProtocol.Read(await ReadFrameAsync(second), out _), Is.EqualTo(ServerMessageKind.Ack));
        var snapshot = await ReadFrameAsync(second);
        Assert.That(WebSocketClientProtocol.Read(snapshot, out _), Is.EqualTo(ServerMessageKind.Snapshot));
        Assert.That(snapshot.AsSpan().IndexOf(new byte[] { 0xA2, (byte)'S', (byte)'3' }), Is.GreaterThan(0), "the snapshot carries S3's price");
        Assert.That(snapshot.AsSpan().IndexOf(new byte[] { 0xA2, (byte)'S', (byte)'9' }), Is.EqualTo(-1), "S9 has no price yet");

        using var http = new HttpClient { Timeout = ReadTimeout };
        var metrics = EdgeMetrics.Parse(await http.GetStringAsync(new Uri(server.BaseUri, "/metrics")));
        Assert.Multiple(() =>
        {
            Assert.That(metrics["edge_ingest_messages_total"], Is.EqualTo(3));
            Assert.That(metrics["edge_fanout_deliveries_total"], Is.EqualTo(2));
            Assert.That(metrics["edge_sessions"], Is.EqualTo(2));
            Assert.That(metrics["edge_subscriptions"], Is.EqualTo(4));
            Assert.That(metrics["edge_symbols"], Is.EqualTo(4));
        });
    }

    [Test]
    public async Task A_bad_ingest_record_is_counted_and_the_rest_of_the_datagram_still_delivered()
    {
        await using var server = await ReferenceServer.StartAsync(_binary, null, Path.Combine(_directory, "bad.log"));
        using var client = await UpgradeAsync(server);
        await SendAsync(client, WebSocketClientProtocol.SubscribeFrame([1], new Random(3)));
        Assert.That(WebSocketClientProtocol.Read(await ReadFrameAsync(client), out _), Is.EqualTo(ServerMessageKind.Ack));

        var message = new byte[IngestSchema.MaxMessageLength];
        var length = IngestPriceEncoder.Encode(message, "S1", "PERF", "PERF2", new Quote(1.0, 1, 1.1, 1, 1_700_000_000_000_000_000, 5));
        var broken = message.AsSpan(0, length).ToArray();
        broken[4] = 0x01; // schema id 0x01ED: not ours
        using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var datagram = new List<byte> { (byte)broken.Length, 0 };
        datagram.AddRange(broken);
        datagram.Add((byte)length);
        datagram.Add(0);
        datagram.AddRange(message.AsSpan(0, length).ToArray());
        await udp.SendToAsync(datagram.ToArray(), server.Ingest);

        Assert.That(WebSocketClientProtocol.Read(await ReadFrameAsync(client), out var price), Is.EqualTo(ServerMessageKind.Price));
        Assert.That(price.Sequence, Is.EqualTo(5UL));
        using var http = new HttpClient { Timeout = ReadTimeout };
        var metrics = EdgeMetrics.Parse(await http.GetStringAsync(new Uri(server.BaseUri, "/metrics")));
        Assert.That(metrics["edge_ingest_rejected_total"], Is.EqualTo(1));
        Assert.That(metrics["edge_ingest_messages_total"], Is.EqualTo(1));
    }

    [Test]
    public async Task A_side_by_side_run_measures_edge_and_the_reference_at_each_rate_and_reports_the_ratios()
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
            "--against", "reference",
            "--reference", _binary,
            "--connections", "20",
            "--symbols", "50",
            "--symbols-per-connection", "5",
            "--rates", "100,200",
            "--ramp-up", "0.5",
            "--warmup", "0.5",
            "--duration", "2",
            "--source-addresses", "3",
            "--out", output,
            "--no-progress",
        ]);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        var report = await CapacityRun.ExecuteAsync(options, TextWriter.Null, timeout.Token);

        var reference = report.Reference;
        Assert.That(reference, Is.Not.Null, "a side-by-side run has the reference's figures");
        foreach (var target in new[] { report, reference! })
        {
            Assert.Multiple(() =>
            {
                Assert.That(target.ConnectionsSubscribed, Is.EqualTo(20), target.Target + ": every connection subscribed");
                Assert.That(target.Steps.Select(s => s.Rate), Is.EqualTo(new[] { 100.0, 200.0 }), target.Target + ": both rates");
                Assert.That(target.Steps.All(s => s.Delivered > 0 && s.Gaps == 0 && s.Unexpected == 0 && s.OutOfOrder == 0), target.Target + ": clean deliveries");
                Assert.That(target.Steps.All(s => double.IsFinite(s.EdgeCpuSeconds) && s.EdgeRssEnd > 0), target.Target + ": CPU and RSS sampled");
                Assert.That(target.FinalsMissing, Is.Zero, target.Target + ": each subscription ended on the last price");
                Assert.That(target.FinalsChecked, Is.EqualTo(100));
            });
        }

        Assert.That(report.Target, Is.EqualTo("Edge"));
        var markdown = await File.ReadAllTextAsync(Path.Combine(output, "report.md"));
        Assert.That(markdown, Does.Contain("Edge against the reference server"));
        Assert.That(markdown, Does.Contain("| p50 Edge/ref (ms) | p90 Edge/ref (ms) | p99 Edge/ref (ms) | p99.9 Edge/ref (ms) | CPU per delivery Edge/ref (µs) | RSS Edge/ref (MB) |"));
        Assert.That(markdown, Does.Contain("## Throughput and latency — the reference server"));
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(output, "report.json")));
        var comparison = json.RootElement.GetProperty("comparison");
        Assert.That(comparison.GetArrayLength(), Is.EqualTo(2));
        Assert.That(comparison[0].GetProperty("p50Ratio").GetDouble(), Is.GreaterThan(0));
        Assert.That(json.RootElement.GetProperty("reference").GetProperty("steps")[1].GetProperty("delivered").GetInt64(), Is.EqualTo(reference!.Steps[1].Delivered));
        var svg = new XmlDocument();
        svg.Load(Path.Combine(output, "latency.svg"));
        var paths = svg.GetElementsByTagName("path");
        Assert.That(paths, Has.Count.EqualTo(4), "a curve per rate and target");
        Assert.That(paths.Cast<XmlElement>().Count(p => p.HasAttribute("stroke-dasharray")), Is.EqualTo(2), "the reference's dashed");
    }

    private static async Task<Socket> UpgradeAsync(ListeningServerProcess server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.BaseUri.Port));
            await SendAsync(socket, WebSocketClientProtocol.UpgradeRequest($"127.0.0.1:{server.BaseUri.Port}", "/market-data", "not-checked"));
            var received = new List<byte>();
            using var timeout = new CancellationTokenSource(ReadTimeout);
            var buffer = new byte[4096];
            int head;
            int status;
            while ((head = WebSocketClientProtocol.ResponseHead(received.ToArray(), out status)) == 0)
            {
                var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
                Assert.That(n, Is.GreaterThan(0), "the server closed during the upgrade");
                received.AddRange(buffer.AsSpan(0, n).ToArray());
            }

            var response = Encoding.ASCII.GetString(received.ToArray(), 0, head);
            Assert.That(status, Is.EqualTo(101), response);
            // RFC 6455 §1.3's example: this key's accept value (edge-perf sends the RFC's sample key).
            Assert.That(response, Does.Contain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
            Assert.That(response, Does.Contain("Sec-WebSocket-Protocol: edge.v1.msgpack\r\n"));
            Assert.That(received, Has.Count.EqualTo(head), "nothing after the head before a subscribe");
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Task SendAsync(Socket socket, byte[] bytes) => ServerFrameReader.SendAllAsync(socket, bytes);

    /// <summary>Reads exactly one server frame; returns its payload (or the whole frame).</summary>
    private static async Task<byte[]> ReadFrameAsync(Socket socket, bool payloadOnly = true)
    {
        var (frame, headerLength, _) = await ServerFrameReader.ReadFrameAsync(socket, ReadTimeout);
        return payloadOnly ? frame[headerLength..] : frame;
    }
}
