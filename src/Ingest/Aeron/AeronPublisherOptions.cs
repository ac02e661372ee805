using System.Net;
using Edge.Protocol.Aeron;

namespace Edge.Ingest.Aeron;

/// <summary>Settings of an <see cref="AeronPublisher"/>; timer defaults are the C media driver's.</summary>
public sealed class AeronPublisherOptions
{
    /// <summary>Where the receiver listens (the channel's <c>endpoint=</c>): a unicast address or, for multicast, the data group.</summary>
    public IPEndPoint Destination { get; set; } = new(IPAddress.Loopback, 40456);

    /// <summary>
    /// Local address to bind; SMs and NAKs come back to it. Default: any address, OS-chosen port. For MDC it is the
    /// control address (<see cref="Control"/>); for multicast the socket binds the group's port and joins the control group.
    /// </summary>
    public IPEndPoint? LocalEndpoint { get; set; }

    /// <summary>
    /// Unicast (one receiver at <see cref="Destination"/>), multicast (<see cref="Destination"/> is the data group; SMs
    /// and NAKs arrive on the group + 1) or dynamic MDC (listen on <see cref="Control"/>; every receiver whose status
    /// messages arrive there is sent to, until it has been silent for <see cref="DestinationTimeout"/>).
    /// </summary>
    public AeronChannelKind Kind { get; set; } = AeronChannelKind.Unicast;

    /// <summary>MDC: the control address to listen on (the channel's <c>control=</c>).</summary>
    public IPEndPoint? Control { get; set; }

    /// <summary>Multicast: the local address to send on and join the control group on (<c>interface=</c>).</summary>
    public IPAddress MulticastInterface { get; set; } = IPAddress.Any;

    /// <summary>Multicast: IP_MULTICAST_TTL (<c>ttl=</c>); null keeps the kernel's (1, this subnet).</summary>
    public int? MulticastTtl { get; set; }

    /// <summary>Multicast or MDC: whose status messages set the send limit (<c>fc=max</c>, the default, or <c>fc=min</c>).</summary>
    public AeronFlowControl FlowControl { get; set; } = AeronFlowControl.Max;

    /// <summary>
    /// <c>fc=min</c>: a receiver with no status message for this long no longer holds the publication back
    /// (<c>fc=min,t:…</c>; C's default is 5 s).
    /// </summary>
    public TimeSpan FlowControlReceiverTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>MDC: a destination with no status message for this long is dropped (C's default is 5 s).</summary>
    public TimeSpan DestinationTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most receivers (and MDC destinations) tracked at once; status messages from more are ignored.</summary>
    public int MaxReceivers { get; set; } = 64;

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

    /// <summary>Settings for a publication channel string (<see cref="AeronChannel"/>); throws <see cref="FormatException"/> if it is refused.</summary>
    public static AeronPublisherOptions ForChannel(string channel)
    {
        var options = new AeronPublisherOptions();
        options.ApplyChannel(AeronChannel.Parse(channel, AeronChannelUse.Publication));
        return options;
    }

    /// <summary>Takes the kind, addresses, interface, TTL, flow control, term length, MTU and send buffer of a parsed publication channel.</summary>
    public void ApplyChannel(AeronChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        Kind = channel.Kind;
        if (channel.Endpoint is not null)
        {
            Destination = channel.Endpoint;
        }

        Control = channel.Kind == AeronChannelKind.Mdc ? channel.Control : null;
        MulticastInterface = channel.Kind == AeronChannelKind.Multicast ? channel.ResolveInterface() : IPAddress.Any;
        MulticastTtl = channel.Ttl;
        FlowControl = channel.FlowControl;
        FlowControlReceiverTimeout = channel.FlowControlReceiverTimeout ?? FlowControlReceiverTimeout;
        TermLength = channel.TermLength ?? TermLength;
        Mtu = channel.Mtu ?? Mtu;
        SocketSendBufferSize = channel.SocketSendBufferSize ?? SocketSendBufferSize;
        SessionId = channel.SessionId ?? SessionId;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that makes no sense.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Destination);
        Require(Kind != AeronChannelKind.Mdc || Control is not null, nameof(Control), "must be set for MDC (the address to listen on)");
        Require(Kind != AeronChannelKind.Multicast || Destination.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork,
            nameof(Destination), "must be an IPv4 group for multicast");
        Require(FlowControlReceiverTimeout > TimeSpan.Zero, nameof(FlowControlReceiverTimeout), "must be positive");
        Require(DestinationTimeout > TimeSpan.Zero, nameof(DestinationTimeout), "must be positive");
        Require(MaxReceivers >= 1, nameof(MaxReceivers), "must be at least 1");
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
