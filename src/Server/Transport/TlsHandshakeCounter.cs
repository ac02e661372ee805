using DotNetty.Handlers.Tls;
using DotNetty.Transport.Channels;
using Edge.Server.Metrics;

namespace Edge.Server.Transport;

/// <summary>
/// Counts TLS handshakes by outcome (<c>edge_tls_handshakes_total{result}</c>): sits right after the TLS handler,
/// sees its completion event, and leaves the pipeline. Failures are clients that do not speak TLS (plain HTTP on the
/// TLS port), refuse the certificate, or offer no common protocol. One instance serves every connection.
/// </summary>
public sealed class TlsHandshakeCounter : ChannelHandlerAdapter
{
    private readonly Counter _succeeded;
    private readonly Counter _failed;

    public TlsHandshakeCounter(MetricsRegistry metrics)
    {
        const string Help = "TLS handshakes by result (failed: not TLS, certificate refused, no common protocol).";
        _succeeded = metrics.Counter("edge_tls_handshakes_total", Help, MetricLabels.Of("result", "ok"));
        _failed = metrics.Counter("edge_tls_handshakes_total", Help, MetricLabels.Of("result", "failed"));
    }

    public override bool IsSharable => true;

    public long Succeeded => _succeeded.Value;

    public long Failed => _failed.Value;

    public override void UserEventTriggered(IChannelHandlerContext context, object evt)
    {
        if (evt is TlsHandshakeCompletionEvent completion)
        {
            (completion.IsSuccessful ? _succeeded : _failed).Increment();
            context.Channel.Pipeline.Remove(this);
        }

        context.FireUserEventTriggered(evt);
    }
}
