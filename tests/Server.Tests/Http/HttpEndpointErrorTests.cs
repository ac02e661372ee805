using DotNetty.Buffers;
using DotNetty.Common.Utilities;
using DotNetty.Transport.Channels;
using DotNetty.Transport.Channels.Embedded;
using Edge.Server.Hosting;
using Edge.Server.Http;
using Edge.Server.Metrics;
using Edge.Server.Tests.Auth;

namespace Edge.Server.Tests.Http;

/// <summary>An exception that reaches the HTTP endpoints closes the connection and, unless it is the connection failing, is in the error log.</summary>
public sealed class HttpEndpointErrorTests
{
    private readonly MetricsRegistry _metrics = new();

    [Test]
    public void A_handler_bug_closes_the_connection_and_is_recorded_but_the_connection_failing_is_not()
    {
        var errors = new ErrorLog(_metrics, new CapturingLogger<ErrorLog>());

        var reset = ReadThrough(errors, new IOException("connection reset by peer"));
        Assert.That(reset.Active, Is.False, "a failing connection is closed");
        Assert.That(errors.Snapshot(), Is.Empty, "a failing connection is not a bug");

        var buggy = ReadThrough(errors, new InvalidOperationException("handler bug"));
        Assert.That(buggy.Active, Is.False, "the connection is closed");
        Assert.That(errors.Snapshot().Select(e => (e.Source, e.FirstMessage)), Is.EqualTo(new[] { ("http", "handler bug") }));
        Assert.That(_metrics.Render(), Does.Contain("edge_errors_total{source=\"http\",type=\"InvalidOperationException\"} 1\n"));
    }

    /// <summary>A connection whose handler before the HTTP endpoints throws <paramref name="thrown"/> on a request.</summary>
    private static EmbeddedChannel ReadThrough(ErrorLog errors, Exception thrown)
    {
        var channel = new EmbeddedChannel(new ThrowingHandler(thrown), new HttpEndpointHandler(new HealthState(), metrics: null, errors: errors));
        channel.WriteInbound(Unpooled.WrappedBuffer("GET /healthz HTTP/1.1\r\n\r\n"u8.ToArray()));
        return channel;
    }

    /// <summary>Stands for a handler of the connection that throws on what it reads (a bug, or the socket failing).</summary>
    private sealed class ThrowingHandler(Exception thrown) : ChannelHandlerAdapter
    {
        public override void ChannelRead(IChannelHandlerContext context, object message)
        {
            ReferenceCountUtil.Release(message);
            throw thrown;
        }
    }
}
