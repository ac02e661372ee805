using System.Net;
using Edge.Ingest.Aeron;

namespace Edge.Benchmarks.Aeron;

/// <summary>Drops the receiver's SMs and NAKs: the in-memory benchmark has no publisher to send them to.</summary>
internal sealed class DiscardingControlTransport : IAeronControlTransport
{
    public bool Send(ReadOnlySpan<byte> frame, SocketAddress destination) => true;
}
