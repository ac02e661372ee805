namespace Edge.Perf.Feed;

/// <summary>How the plain-UDP feed (the reference server's) packs ingest messages into datagrams (<c>--udp-batch</c>).</summary>
internal enum UdpBatching
{
    /// <summary>The messages of one 1 ms pacing tick share datagrams of up to <see cref="UdpIngestSender.MaxDatagramBytes"/> (as Aeron's sender fills its MTU).</summary>
    Tick,

    /// <summary>One datagram per message.</summary>
    Message,
}
