using System.Net;

namespace Edge.Ingest.Aeron;

/// <summary>Where the receiver's control frames (SM, NAK, RTTM replies) go; a UDP socket, or nothing in benchmarks.</summary>
internal interface IAeronControlTransport
{
    /// <summary>Sends one frame to <paramref name="destination"/>; returns false if the send failed.</summary>
    bool Send(ReadOnlySpan<byte> frame, SocketAddress destination);
}
