using System.Text;
using DotNetty.Buffers;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Embedded;
using Edge.Protocol.WebSockets;
using Edge.Server.Hosting;
using Edge.Server.Http;
using Edge.Server.Metrics;
using Edge.Server.Transport;
using Edge.Server.WebSockets;

namespace Edge.Server.Tests.WebSockets;

/// <summary>The HTTP pipeline turning into the WebSocket one, in an <see cref="EmbeddedChannel"/>.</summary>
public sealed class UpgradePipelineTests
{
    private const string Handshake =
        "GET /ws HTTP/1.1\r\nHost: edge\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";

    [Test]
    public void An_eager_first_frame_sent_with_the_request_is_delivered_after_the_101()
    {
        using var pipeline = new PipelineHarness();

        pipeline.Feed(ClientFrames.Concat(Encoding.ASCII.GetBytes(Handshake), ClientFrames.Text("eager"), ClientFrames.Ping([7])));

        var (head, frames) = pipeline.Output();
        Assert.That(head, Does.StartWith("HTTP/1.1 101 Switching Protocols\r\n"));
        Assert.That(head, Does.Contain("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
        Assert.That(frames.Single().Opcode, Is.EqualTo(WebSocketOpcode.Pong));
        var message = pipeline.Recorder.TakeMessages().Single();
        Assert.That(message, Is.EqualTo("eager"));
        Assert.That(pipeline.Recorder.Order, Is.EqualTo(new[] { "upgraded", "message" }), "the upgrade event comes before the first message");
    }

    [Test]
    public void An_eager_frame_larger_than_a_request_line_is_not_mistaken_for_http()
    {
        using var pipeline = new PipelineHarness();
        var big = WebSocketCodecTests.Pattern(20_000);

        pipeline.Feed(ClientFrames.Concat(Encoding.ASCII.GetBytes(Handshake), ClientFrames.Binary(big)));

        var (head, frames) = pipeline.Output();
        Assert.That(head, Does.StartWith("HTTP/1.1 101"));
        Assert.That(frames, Is.Empty);
        Assert.That(pipeline.Recorder.Payloads.Single(), Is.EqualTo(big));
    }

    [Test]
    public void An_eager_frame_split_over_later_reads_is_delivered()
    {
        using var pipeline = new PipelineHarness();
        var frame = ClientFrames.Text("split");

        pipeline.Feed(ClientFrames.Concat(Encoding.ASCII.GetBytes(Handshake), frame[..3]));
        pipeline.Feed(frame[3..]);

        Assert.That(pipeline.Recorder.TakeMessages().Single(), Is.EqualTo("split"));
    }

    [Test]
    public void After_the_upgrade_only_the_codec_and_the_application_remain()
    {
        using var pipeline = new PipelineHarness();

        pipeline.Feed(Encoding.ASCII.GetBytes(Handshake));

        var handlers = pipeline.Channel.Pipeline;
        Assert.That(handlers.FirstContext().Name, Is.EqualTo(WebSocketCodec.HandlerName));
        Assert.That(handlers.LastContext().Name, Is.EqualTo(WebSocketAdmissionDecision.ApplicationHandlerName));
        Assert.That(handlers.Get("http-decoder"), Is.Null);
        Assert.That(handlers.Get(HandshakeTimeoutHandler.HandlerName), Is.Null);
        Assert.That(handlers.Get("http-endpoints"), Is.Null);
        var upgraded = WebSocketUpgraded.Of(pipeline.Channel);
        Assert.That(upgraded!.Endpoint, Is.EqualTo("test"));
        Assert.That(upgraded.State, Is.EqualTo("state"));
        Assert.That(pipeline.Recorder.Events.Single(), Is.SameAs(upgraded));
        Assert.That(pipeline.Counters.HandshakeTimeouts.Value, Is.Zero);
    }

    [Test]
    public void An_upgrade_request_for_a_path_without_websocket_gets_404_and_a_close()
    {
        using var pipeline = new PipelineHarness();

        pipeline.Feed(Encoding.ASCII.GetBytes(Handshake.Replace("/ws", "/healthz", StringComparison.Ordinal)));

        var (head, _) = pipeline.Output();
        Assert.That(head, Does.StartWith("HTTP/1.1 404"));
        Assert.That(head, Does.Contain("Connection: close"));
        Assert.That(pipeline.WaitForClose(TimeSpan.FromSeconds(20)), Is.True);
    }

    [Test]
    public void A_refused_handshake_gets_the_refusal_and_a_close_and_is_counted()
    {
        using var pipeline = new PipelineHarness(new RefusingAdmission());

        pipeline.Feed(Encoding.ASCII.GetBytes(Handshake));

        var (head, _) = pipeline.Output();
        Assert.That(head, Does.StartWith("HTTP/1.1 429 Too Many Requests\r\n"));
        Assert.That(head, Does.Contain("Retry-After: 5\r\n"));
        Assert.That(head, Does.EndWith("{\"error\":\"TOO_MANY_CONNECTIONS\",\"message\":\"slow down\"}"));
        Assert.That(pipeline.WaitForClose(TimeSpan.FromSeconds(20)), Is.True);
        Assert.That(pipeline.Registry.Render(), Does.Contain("edge_ws_handshakes_refused_total{status=\"429\",reason=\"TOO_MANY_CONNECTIONS\"} 1"));
    }

    [Test]
    public void An_admission_that_throws_gets_500()
    {
        using var pipeline = new PipelineHarness(new ThrowingAdmission());

        pipeline.Feed(Encoding.ASCII.GetBytes(Handshake));

        Assert.That(pipeline.Output().Head, Does.StartWith("HTTP/1.1 500"));
        Assert.That(pipeline.WaitForClose(TimeSpan.FromSeconds(20)), Is.True);
    }

    [Test]
    public void A_plain_GET_on_the_websocket_path_gets_426_and_keeps_the_connection()
    {
        using var pipeline = new PipelineHarness();

        pipeline.Feed(Encoding.ASCII.GetBytes("GET /ws HTTP/1.1\r\nHost: a\r\n\r\nGET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"));

        var text = pipeline.OutputText();
        Assert.That(text, Does.StartWith("HTTP/1.1 426 Upgrade Required\r\n"));
        Assert.That(text, Does.Contain("HTTP/1.1 200 OK"), "the kept connection answers its next request");
        Assert.That(pipeline.Channel.Open, Is.True);
    }

    [Test]
    public void A_connection_without_a_complete_request_is_closed_after_the_handshake_timeout()
    {
        using var pipeline = new PipelineHarness(timeout: TimeSpan.FromMilliseconds(30));

        pipeline.Feed(Encoding.ASCII.GetBytes("GET /ws HTTP/1.1\r\nHost: a\r\n"));

        Assert.That(pipeline.WaitForClose(TimeSpan.FromSeconds(20)), Is.True);
        Assert.That(pipeline.Counters.HandshakeTimeouts.Value, Is.EqualTo(1));
    }

    [Test]
    public void The_lease_of_an_accepted_connection_is_released_when_it_closes()
    {
        var lease = new CountingLease();
        using var pipeline = new PipelineHarness(new TestAdmission(lease));

        pipeline.Feed(Encoding.ASCII.GetBytes(Handshake));
        Assert.That(lease.Disposed, Is.Zero);
        pipeline.Channel.CloseAsync().Wait(TimeSpan.FromSeconds(10));

        Assert.That(SpinWait.SpinUntil(() => lease.Disposed == 1, TimeSpan.FromSeconds(10)), Is.True);
    }

    private sealed class PipelineHarness : IDisposable
    {
        public PipelineHarness(IWebSocketAdmission? admission = null, TimeSpan? timeout = null)
        {
            Registry = new MetricsRegistry();
            Counters = new WebSocketCounters(Registry);
            var settings = new WebSocketCodecSettings(64 * 1024, TimeSpan.FromSeconds(30), Counters);
            admission ??= new TestAdmission(null);
            Recorder = ((admission as TestAdmission)?.Recorder) ?? new Recorder();
            var upgrader = new WebSocketUpgrader([new WebSocketEndpoint("test", "/ws", [], admission)], settings);
            Channel = new EmbeddedChannel();
            Channel.Pipeline.Append("http-decoder", new HttpRequestDecoder(new HttpLimits()));
            Channel.Pipeline.Append(HandshakeTimeoutHandler.HandlerName, new HandshakeTimeoutHandler(timeout ?? TimeSpan.FromSeconds(30), Counters.HandshakeTimeouts));
            Channel.Pipeline.Append("http-endpoints", new HttpEndpointHandler(new HealthState(), new MetricsEndpoint(Registry), upgrader));
        }

        public EmbeddedChannel Channel { get; }

        public MetricsRegistry Registry { get; }

        public WebSocketCounters Counters { get; }

        public Recorder Recorder { get; }

        public void Feed(byte[] bytes) => Channel.WriteInbound(PooledByteBufferAllocator.Default.Buffer(bytes.Length).WriteBytes(bytes));

        public byte[] OutputBytes()
        {
            var bytes = new List<byte>();
            IByteBuffer? buffer;
            while ((buffer = Channel.ReadOutbound<IByteBuffer>()) is not null)
            {
                var chunk = new byte[buffer.ReadableBytes];
                buffer.GetBytes(buffer.ReaderIndex, chunk);
                buffer.Release();
                bytes.AddRange(chunk);
            }

            return [.. bytes];
        }

        public string OutputText() => Encoding.Latin1.GetString(OutputBytes());

        /// <summary>The HTTP response head (with any body) and the WebSocket frames after a 101.</summary>
        public (string Head, List<DecodedFrame> Frames) Output()
        {
            var bytes = OutputBytes();
            var end = bytes.AsSpan().IndexOf("\r\n\r\n"u8) + 4;
            var head = Encoding.Latin1.GetString(bytes, 0, end);
            return head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal)
                ? (head, DecodedFrame.Parse(bytes.AsSpan(end)))
                : (Encoding.Latin1.GetString(bytes), []);
        }

        public bool WaitForClose(TimeSpan bound) => Channel.WaitForClose(bound);

        public void Dispose() => Channel.FinishAndReleaseAll();
    }

    private sealed class TestAdmission : IWebSocketAdmission
    {
        private readonly IDisposable? _lease;

        public TestAdmission(IDisposable? lease)
        {
            _lease = lease;
        }

        public Recorder Recorder { get; } = new();

        public WebSocketAdmissionDecision Admit(WebSocketAdmissionRequest request) =>
            WebSocketAdmissionDecision.Accept(Recorder, "state", _lease);
    }

    private sealed class RefusingAdmission : IWebSocketAdmission
    {
        public WebSocketAdmissionDecision Admit(WebSocketAdmissionRequest request) =>
            WebSocketAdmissionDecision.Refuse(429, "TOO_MANY_CONNECTIONS", "slow down", [new("Retry-After", "5")]);
    }

    private sealed class ThrowingAdmission : IWebSocketAdmission
    {
        public WebSocketAdmissionDecision Admit(WebSocketAdmissionRequest request) => throw new InvalidOperationException("bug");
    }

    private sealed class CountingLease : IDisposable
    {
        private int _disposed;

        public int Disposed => Volatile.Read(ref _disposed);

        public void Dispose() => Interlocked.Increment(ref _disposed);
    }

    /// <summary>The application handler: keeps what reaches it.</summary>
    private sealed class Recorder : ChannelHandlerAdapter
    {
        public List<object> Events { get; } = [];

        public List<byte[]> Payloads { get; } = [];

        public List<string> Order { get; } = [];

        public override void ChannelRead(IChannelHandlerContext context, object message)
        {
            if (message is WebSocketMessage received)
            {
                var bytes = new byte[received.Payload.ReadableBytes];
                received.Payload.GetBytes(received.Payload.ReaderIndex, bytes);
                Payloads.Add(bytes);
                Order.Add("message");
                received.Release();
            }
        }

        public override void UserEventTriggered(IChannelHandlerContext context, object evt)
        {
            Events.Add(evt);
            Order.Add(evt is WebSocketUpgraded ? "upgraded" : "event");
        }

        public List<string> TakeMessages() => Payloads.Select(p => Encoding.UTF8.GetString(p)).ToList();
    }
}
