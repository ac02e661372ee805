using DotNetty.Buffers;
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
    [Test]
    public void A_handler_bug_closes_the_connection_and_is_recorded_but_the_connection_failing_is_not()
    {
        var metrics = new MetricsRegistry();
        var errors = new ErrorLog(metrics, new CapturingLogger<ErrorLog>());

        var reset = Connection(errors, new IOException("connection reset by peer"));
        reset.WriteInbound(Unpooled.WrappedBuffer("GET /healthz HTTP/1.1\r\n\r\n"u8.ToArray()));
        Assert.That(reset.Active, Is.False, "a failing connection is closed");
        Assert.That(errors.Snapshot(), Is.Empty, "a failing connection is not a bug");

        var buggy = Connection(errors, new InvalidOperationException("handler bug"));
        buggy.WriteInbound(Unpooled.WrappedBuffer("GET /healthz HTTP/1.1\r\n\r\n"u8.ToArray()));
        Assert.That(buggy.Active, Is.False, "the connection is closed");
        var recorded = errors.Snapshot();
        Assert.That(recorded, Has.Count.EqualTo(1));
        Assert.That(recorded[0].Source, Is.EqualTo("http"));
        Assert.That(recorded[0].FirstMessage, Is.EqualTo("handler bug"));
        Assert.That(metrics.Render(), Does.Contain("edge_errors_total{source=\"http\",type=\"InvalidOperationException\"} 1\n"));
    }

    private static EmbeddedChannel Connection(ErrorLog errors, Exception thrown)
    {
        var channel = new EmbeddedChannel();
        channel.Pipeline.AddLast("failing", new ThrowingHandler(thrown));
        channel.Pipeline.AddLast("http-endpoints", new HttpEndpointHandler(new HealthState(), metrics: null, errors: errors));
        return channel;
    }

    /// <summary>Stands for a handler of the connection that throws on what it reads (a bug, or the socket failing).</summary>
    private sealed class ThrowingHandler(Exception thrown) : ChannelHandlerAdapter
    {
        public override void ChannelRead(IChannelHandlerContext context, object message)
        {
            DotNetty.Common.Utilities.ReferenceCountUtil.Release(message);
            throw thrown;
        }
    }
}
