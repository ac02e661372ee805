using System.Collections.Concurrent;
using System.Globalization;
using DotNetty.Transport.Channels;
using Edge.Server.Admission;
using Edge.Server.WebSockets;

namespace Edge.EndToEnd.Tests.WebSockets;

/// <summary>
/// Stands in for the market-data session behind a real <see cref="EdgeWebSocketAdmission"/>: records who was
/// admitted, echoes messages, and on the text <c>close CODE</c> starts a server-initiated close.
/// </summary>
internal sealed class MarketDataProbe
{
    public ConcurrentQueue<ClientConnection> Admitted { get; } = new();

    public ConcurrentQueue<Task> ServerCloses { get; } = new();

    public EdgeWebSocketAdmission Admission(TestAuth auth, params string[] allowedOrigins) =>
        new(auth.Validator, allowedOrigins, connection =>
        {
            Admitted.Enqueue(connection);
            return WebSocketAdmissionDecision.Accept(new Session(this), connection);
        });

    private sealed class Session : ChannelHandlerAdapter
    {
        private readonly MarketDataProbe _probe;

        public Session(MarketDataProbe probe)
        {
            _probe = probe;
        }

        public override void ChannelRead(IChannelHandlerContext context, object message)
        {
            if (message is not WebSocketMessage received)
            {
                context.FireChannelRead(message);
                return;
            }

            try
            {
                var text = received.IsText ? received.Payload.ToString(System.Text.Encoding.UTF8) : string.Empty;
                if (text.StartsWith("close ", StringComparison.Ordinal))
                {
                    var code = ushort.Parse(text.AsSpan(6), CultureInfo.InvariantCulture);
                    _probe.ServerCloses.Enqueue(WebSocketCloser.CloseAsync(context.Channel, code, "bye"));
                    return;
                }

                _ = context.WriteAndFlushAsync(PooledMessageFrames.Frame(context.Allocator, received.Opcode, received.Payload));
            }
            finally
            {
                received.Release();
            }
        }
    }
}
