using DotNetty.Transport.Channels;
using Edge.Server.Transport;

namespace Edge.Server.Tests.Transport;

/// <summary>A pipeline handler standing in for a WebSocket codec whose close frame is out: it refuses application data.</summary>
internal sealed class ClosedGateHandler : ChannelHandlerAdapter, IDataWriteGate
{
    public void Attach(DirectSocketWriter writer) => writer.Stop();
}
