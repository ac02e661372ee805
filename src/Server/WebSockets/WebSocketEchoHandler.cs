using DotNetty.Transport.Channels;

namespace Edge.Server.WebSockets;

/// <summary>
/// The conformance endpoint's application: every message goes back as one frame with the same opcode and payload.
/// Replies of one read leave with one flush.
/// </summary>
public sealed class WebSocketEchoHandler : ChannelHandlerAdapter
{
    private bool _flushPending;

    public override void ChannelRead(IChannelHandlerContext context, object message)
    {
        if (message is not WebSocketMessage received)
        {
            context.FireChannelRead(message);
            return;
        }

        try
        {
            _ = context.WriteAsync(PooledMessageFrames.Frame(context.Allocator, received.Opcode, received.Payload));
            _flushPending = true;
        }
        finally
        {
            received.Release();
        }
    }

    public override void ChannelReadComplete(IChannelHandlerContext context)
    {
        if (_flushPending)
        {
            _flushPending = false;
            context.Flush();
        }

        context.FireChannelReadComplete();
    }
}
