using Edge.Protocol.Client;
using Edge.Protocol.WebSockets;
using Edge.Server.Sse;
using Edge.Server.Tenants;
using Edge.Server.Transport;
using Edge.Server.WebSockets;
using Microsoft.Extensions.Logging;

namespace Edge.Server.FanOut;

/// <summary>
/// Edge's <see cref="ISlowConsumerCloser"/>: ends a client the fan-out gave up on in its own protocol (WebSocket close
/// 4008; SSE an error event and the stream's last chunk), logs it and counts it per tenant (and for SSE).
/// </summary>
/// <param name="logger">The host's logger: the close is logged as <c>EdgeHost</c> event 2 (docs/operations.md).</param>
/// <param name="tenantMetrics">Where each close is counted for its tenant.</param>
/// <param name="sseCounters">Where SSE streams cut as slow consumers are counted.</param>
/// <param name="sseCutTimeout">How long an SSE stream's last chunk may take before the connection is cut.</param>
public sealed partial class SlowConsumerCloser(ILogger logger, TenantMetrics tenantMetrics, SseCounters sseCounters, TimeSpan sseCutTimeout)
    : ISlowConsumerCloser
{
    // A field: the generated log method reads it.
    private readonly ILogger _logger = logger;

    public void CloseSlowConsumer(FanOutSession session, string reason)
    {
        LogSlowConsumer(session.Tenant, reason);
        tenantMetrics.For(session.Tenant).SlowConsumerCloses.Increment();
        var channel = ChannelTransport.ChannelOf(session.Transport);
        // The fan-out dropped what waited in Edge: the client gets what DotNetty already holds (whole frames or events),
        // then the close frame 4008 (SSE: an error event and the stream's last chunk), should it read again in time.
        if (session.Encoding == ClientEncoding.Sse)
        {
            sseCounters.SlowConsumerCloses.Increment();
            SseStreamCloser.EndSlowConsumerAsync(channel, reason, sseCutTimeout);
            return;
        }

        WebSocketCloser.CloseAsync(channel, WebSocketCloseCode.SlowConsumer, reason);
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Closing a slow consumer of tenant {Tenant}: {Reason}")]
    private partial void LogSlowConsumer(string tenant, string reason);
}
