using System.Net;
using Edge.Protocol.Aeron;

namespace Edge.Ingest.Aeron;

/// <summary>Settings of an <see cref="AeronPublisher"/>; timer defaults are the C media driver's.</summary>
public sealed class AeronPublisherOptions
{
    /// <summary>Where the receiver listens (the channel's <c>endpoint=</c>).</summary>
    public IPEndPoint Destination { get; set; } = new(IPAddress.Loopback, 40456);

    /// <summary>Local address to bind; SMs and NAKs come back to it. Default: any address, OS-chosen port.</summary>
    public IPEndPoint? LocalEndpoint { get; set; }

    public int StreamId { get; set; } = 1001;

    /// <summary>Session id; null picks a random one (as a driver does per publication).</summary>
    public int? SessionId { get; set; }

    /// <summary>Initial term id; null picks a random one (as a driver does unless <c>init-term-id</c> is set).</summary>
    public int? InitialTermId { get; set; }

    /// <summary>
    /// Term length, a power of two from 64 KiB to 1 GiB. Three terms are kept for retransmission. Default 1 MiB
    /// (the C driver's is 16 MiB; Edge's feeds carry small messages and 3 × 16 MiB is a lot for a test tool).
    /// </summary>
    public int TermLength { get; set; } = 1024 * 1024;

    /// <summary>Largest datagram, a multiple of 32; messages longer than MTU − 32 are fragmented.</summary>
    public int Mtu { get; set; } = AeronProtocol.DefaultMtu;

    /// <summary>How far offers may run ahead of what has been sent; null means term length / 2 (as the driver).</summary>
    public int? PublicationWindowLength { get; set; }

    /// <summary>SETUP is repeated this often until a status message arrives.</summary>
    public TimeSpan SetupInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A heartbeat goes out when no DATA has been sent for this long.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Without a status message for this long the publisher is not connected.</summary>
    public TimeSpan ConnectionTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A NAK for a range re-sent less than this long ago is ignored (C: retransmit linger).</summary>
    public TimeSpan RetransmitLinger { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// How long <see cref="AeronPublisher.Dispose"/> keeps sending the tail and end-of-stream heartbeats while
    /// waiting for the receiver to acknowledge the end.
    /// </summary>
    public TimeSpan CloseLingerTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest park of the duty thread when it has nothing to do (it checks for SMs and NAKs that often).</summary>
    public TimeSpan IdleWait { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>SO_SNDBUF asked for; 0 keeps the OS default.</summary>
    public int SocketSendBufferSize { get; set; } = 2 * 1024 * 1024;

    /// <summary>Name of the duty thread.</summary>
    public string ThreadName { get; set; } = "aeron-publisher";

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that makes no sense.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Destination);
        Require(AeronLogBuffer.IsValidTermLength(TermLength), nameof(TermLength), "must be a power of two from 64 KiB to 1 GiB");
        Require(AeronLogBuffer.IsValidMtu(Mtu) && Mtu > AeronProtocol.DataHeaderLength, nameof(Mtu), "must be a multiple of 32 from 64 to 65504");
        Require(PublicationWindowLength is null || (PublicationWindowLength >= Mtu && PublicationWindowLength <= TermLength / 2),
            nameof(PublicationWindowLength), "must be between the MTU and term length / 2");
        Require(SetupInterval > TimeSpan.Zero, nameof(SetupInterval), "must be positive");
        Require(HeartbeatInterval > TimeSpan.Zero, nameof(HeartbeatInterval), "must be positive");
        Require(ConnectionTimeout > TimeSpan.Zero, nameof(ConnectionTimeout), "must be positive");
        Require(RetransmitLinger >= TimeSpan.Zero, nameof(RetransmitLinger), "must not be negative");
        Require(CloseLingerTimeout >= TimeSpan.Zero, nameof(CloseLingerTimeout), "must not be negative");
        Require(IdleWait >= TimeSpan.FromMilliseconds(1), nameof(IdleWait), "must be at least 1 ms");
        Require(SocketSendBufferSize >= 0, nameof(SocketSendBufferSize), "must not be negative");
        Require(!string.IsNullOrEmpty(ThreadName), nameof(ThreadName), "must be set");
    }

    private static void Require(bool condition, string name, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"{name} {message}.", name);
        }
    }
}
