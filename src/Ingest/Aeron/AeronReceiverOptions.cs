using System.Net;
using Edge.Protocol.Aeron;

namespace Edge.Ingest.Aeron;

/// <summary>
/// Settings of an <see cref="AeronReceiver{THandler}"/>. The defaults are the C media driver's
/// (shared/aeron-protocol.md §8) unless a comment says otherwise.
/// </summary>
public sealed class AeronReceiverOptions
{
    /// <summary>
    /// The address and port to listen on (the channel's <c>endpoint=</c>): a unicast address (port 0 lets the OS
    /// choose), or for <see cref="AeronChannelKind.Multicast"/> the data group (last octet odd) and its port.
    /// </summary>
    public IPEndPoint Endpoint { get; set; } = new(IPAddress.Any, 0);

    /// <summary>
    /// Unicast, multicast (join <see cref="Endpoint"/>'s group; control frames to the group + 1) or dynamic MDC
    /// (control frames to <see cref="Control"/>, and SETUP-eliciting status messages there while no image).
    /// <see cref="ApplyChannel"/> sets it from a channel string.
    /// </summary>
    public AeronChannelKind Kind { get; set; } = AeronChannelKind.Unicast;

    /// <summary>MDC: the publisher's control address (the channel's <c>control=</c>). Multicast: derived from the group.</summary>
    public IPEndPoint? Control { get; set; }

    /// <summary>Multicast: the local address to join and send on (<c>interface=</c>); Any lets the kernel choose by route.</summary>
    public IPAddress MulticastInterface { get; set; } = IPAddress.Any;

    /// <summary>Multicast: IP_MULTICAST_TTL of the control frames (<c>ttl=</c>); null keeps the kernel's (1).</summary>
    public int? MulticastTtl { get; set; }

    /// <summary>
    /// Multicast: a gap's first NAK waits a random time up to this (C: the multicast NAK backoff), so that one
    /// receiver NAKs first and the others, seeing its NAK on the control group, hold theirs back.
    /// </summary>
    public TimeSpan MulticastNakBackoff { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The one stream id this receiver takes; frames for other streams are counted and dropped.</summary>
    public int StreamId { get; set; } = 1001;

    /// <summary>Most images (publisher sessions) held at once; SETUPs for new sessions beyond it are dropped.</summary>
    public int MaxImages { get; set; } = 16;

    /// <summary>
    /// Receiver window advertised in status messages; the effective window is min(this, term length / 2). 512 KiB, four
    /// times Aeron's default: a receiver on an event loop (<c>Ingest:ReceiveOn=loop</c>) reads the socket only between
    /// drains, and at 1 M deliveries/s a 128 KiB window ran out within one drain and held the publisher back (p99 124 ms
    /// against 20–27 ms with 512 KiB; docs/performance.md). It costs one buffer of this size per image.
    /// </summary>
    public int ReceiverWindowLength { get; set; } = 512 * 1024;

    /// <summary>Status messages go out at least this often per image.</summary>
    public TimeSpan StatusMessageInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A gap is NAKed this long after it is seen (the thread's timer granularity is about 1 ms).</summary>
    public TimeSpan NakDelay { get; set; } = TimeSpan.FromTicks(1000); // 100 µs

    /// <summary>A NAK is sent again this often while the same gap stays (C: delay × 100).</summary>
    public TimeSpan NakRetryInterval { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>An image with no packet for this long is dropped.</summary>
    public TimeSpan ImageLivenessTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// An image created by a SETUP that has not had a single DATA frame or heartbeat within this time is dropped
    /// silently (Edge addition: bounds what a flood of SETUPs can hold; a real sender heartbeats within 100 ms).
    /// </summary>
    public TimeSpan PendingImageTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a SETUP may be asked for (SM with the send-setup flag) per unknown session.</summary>
    public TimeSpan SetupRequestInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A refused SETUP is reported to the handler (and so logged by Edge) at most once per source address per this
    /// interval (Edge addition: a sender retries every 100 ms); the refusals in between are counted and reported as a number.
    /// </summary>
    public TimeSpan SetupRefusalReportInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest reassembled message accepted (also capped at term length / 8 by the protocol).</summary>
    public int MaxMessageLength { get; set; } = AeronProtocol.MaxMessageLengthCeiling;

    /// <summary>SO_RCVBUF asked for; Linux caps it at net.core.rmem_max (see <c>AeronReceiver.SocketReceiveBufferSize</c>).</summary>
    public int SocketReceiveBufferSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// How the receive thread waits for datagrams (Edge addition). <see cref="AeronReceiveWait.Blocking"/> by default: the
    /// spinning kinds burn a core and belong on dedicated cores only.
    /// </summary>
    public AeronReceiveWait ReceiveWait { get; set; } = AeronReceiveWait.Blocking;

    /// <summary>Longest blocking wait of the receive thread; it also wakes for the next due timer.</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The receiver id put in status messages; null picks a random one per receiver (C: from a UUID).</summary>
    public long? ReceiverId { get; set; }

    /// <summary>Name of the receive thread.</summary>
    public string ThreadName { get; set; } = "aeron-receiver";

    /// <summary>Settings for a subscription channel string (<see cref="AeronChannel"/>); throws <see cref="FormatException"/> if it is refused.</summary>
    public static AeronReceiverOptions ForChannel(string channel)
    {
        var options = new AeronReceiverOptions();
        options.ApplyChannel(AeronChannel.Parse(channel, AeronChannelUse.Subscription));
        return options;
    }

    /// <summary>Takes the endpoint, kind, control address, interface, TTL, window and buffer of a parsed subscription channel.</summary>
    public void ApplyChannel(AeronChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        Endpoint = channel.Endpoint ?? throw new ArgumentException("A subscription channel needs an endpoint.", nameof(channel));
        Kind = channel.Kind;
        Control = channel.Control;
        MulticastInterface = channel.Kind == AeronChannelKind.Multicast ? channel.ResolveInterface() : IPAddress.Any;
        MulticastTtl = channel.Ttl;
        ReceiverWindowLength = channel.ReceiverWindowLength ?? ReceiverWindowLength;
        SocketReceiveBufferSize = channel.SocketReceiveBufferSize ?? SocketReceiveBufferSize;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that makes no sense.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Endpoint);
        Require(Kind != AeronChannelKind.Mdc || Control is not null, nameof(Control), "must be set for MDC (the publisher's control address)");
        Require(Kind != AeronChannelKind.Multicast || Endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork,
            nameof(Endpoint), "must be an IPv4 group for multicast");
        Require(MulticastNakBackoff >= TimeSpan.Zero, nameof(MulticastNakBackoff), "must not be negative");
        Require(MaxImages >= 1, nameof(MaxImages), "must be at least 1");
        Require(ReceiverWindowLength >= 4096, nameof(ReceiverWindowLength), "must be at least 4096");
        Require(StatusMessageInterval > TimeSpan.Zero, nameof(StatusMessageInterval), "must be positive");
        Require(NakDelay >= TimeSpan.Zero, nameof(NakDelay), "must not be negative");
        Require(NakRetryInterval > TimeSpan.Zero, nameof(NakRetryInterval), "must be positive");
        Require(ImageLivenessTimeout > TimeSpan.Zero, nameof(ImageLivenessTimeout), "must be positive");
        Require(PendingImageTimeout > TimeSpan.Zero, nameof(PendingImageTimeout), "must be positive");
        Require(SetupRequestInterval > TimeSpan.Zero, nameof(SetupRequestInterval), "must be positive");
        Require(SetupRefusalReportInterval > TimeSpan.Zero, nameof(SetupRefusalReportInterval), "must be positive");
        Require(MaxMessageLength >= 1, nameof(MaxMessageLength), "must be positive");
        Require(SocketReceiveBufferSize >= 0, nameof(SocketReceiveBufferSize), "must not be negative");
        Require(Enum.IsDefined(ReceiveWait), nameof(ReceiveWait), "must be Blocking, Yielding or BusySpin");
        Require(PollTimeout >= TimeSpan.FromMilliseconds(1), nameof(PollTimeout), "must be at least 1 ms");
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
