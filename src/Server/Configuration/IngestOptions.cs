using System.Net;
using Edge.Ingest.Aeron;

namespace Edge.Server.Configuration;

/// <summary>Where Edge receives the upstream Aeron stream, in configuration-friendly form.</summary>
public sealed class IngestOptions
{
    /// <summary>
    /// The unicast endpoint (address:port) the embedded Aeron receiver binds: shorthand for
    /// <c>Ingest:Channel=aeron:udp?endpoint=address:port</c>. A multicast address is refused here: multicast needs
    /// <see cref="Channel"/> (with its interface).
    /// </summary>
    public string Endpoint { get; set; } = "127.0.0.1:40456";

    /// <summary>
    /// An Aeron subscription channel (<see cref="AeronChannel"/>): <c>aeron:udp?endpoint=239.1.1.1:40456|interface=10.0.0.5</c>
    /// (multicast), <c>aeron:udp?endpoint=0.0.0.0:40457|control=10.0.0.9:40460</c> (dynamic MDC), or a unicast
    /// endpoint; plus <c>ttl</c>, <c>rcv-wnd</c>, <c>so-rcvbuf</c>. Set, it replaces <see cref="Endpoint"/> (which a container
    /// image may set in its environment). Anything Edge would
    /// not honour is refused at start and by <c>check-config</c>.
    /// </summary>
    public string? Channel { get; set; }

    /// <summary>The Aeron stream id carrying best prices.</summary>
    public int StreamId { get; set; } = 1001;

    /// <summary>At most this many publisher sessions (images) at once.</summary>
    public int MaxImages { get; set; } = 16;

    /// <summary>Kernel receive buffer for the UDP socket.</summary>
    public int SocketReceiveBufferBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>A publisher silent for this long is dropped (Aeron's image liveness timeout).</summary>
    public int ImageLivenessTimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// Optional allow-list of the symbols a client may subscribe before their first price. Empty (the default): any
    /// well-formed, entitled symbol may be subscribed before it trades (pending, up to
    /// <see cref="MaxSubscribableSymbols"/>). Listed: only these (interned at start); others become subscribable with
    /// their first price.
    /// </summary>
    public List<string> Symbols { get; set; } = [];

    /// <summary>Most distinct symbols Edge interns; more are refused and counted.</summary>
    public int MaxSymbols { get; set; } = 100_000;

    /// <summary>
    /// A subscribe may add a symbol that has had no price (pending) only while the symbol table holds fewer than this
    /// many symbols, priced and pending together; beyond, it is refused (<c>UNKNOWN_SYMBOL</c>). The rest of the table,
    /// up to <see cref="MaxSymbols"/>, stays for the feed.
    /// </summary>
    public int MaxSubscribableSymbols { get; set; } = 50_000;

    /// <summary>Most distinct venue names Edge interns.</summary>
    public int MaxSources { get; set; } = 4096;

    /// <summary>
    /// How the receive thread waits for datagrams: <c>blocking</c> (default; sleeps in poll, no CPU while idle),
    /// <c>yielding</c> (never sleeps, yields the core between checks: saves the wake-up per datagram, shows 100 %
    /// CPU) or <c>busy-spin</c> (never yields: a core of its own only).
    /// </summary>
    public string ReceiveWait { get; set; } = "blocking";

    /// <summary>The names <see cref="TryParseReceiveWait"/> accepts, for messages and docs.</summary>
    public const string ReceiveWaitNames = "blocking, yielding, busy-spin";

    /// <summary>
    /// Which thread receives the Aeron stream: <c>loop</c> (the first event loop, run to completion: receive, encode
    /// and write on one thread; Linux, with <c>FanOut:FrameStage=inline</c>), <c>thread</c> (the <c>aeron-receiver</c>
    /// thread, which wakes the loops per batch) or <c>auto</c> (the default: <c>loop</c> with one event loop, the inline
    /// frame stage and blocking waits on Linux, <c>thread</c> otherwise). With one loop, <c>loop</c> measured as fast
    /// or faster than <c>thread</c> at every rate on the quiet machine once the receiver window was 512 KiB
    /// (docs/performance.md); with several loops the others are woken per batch either way.
    /// </summary>
    public string ReceiveOn { get; set; } = ReceiveOnAuto;

    public const string ReceiveOnAuto = "auto";

    public const string ReceiveOnLoop = "loop";

    public const string ReceiveOnThread = "thread";

    /// <summary>Whether the receive duty runs on event loop 0, given the resolved loop count and frame stage.</summary>
    public bool ReceivesOnLoop(int eventLoops, bool inlineFrameStage)
    {
        if (string.Equals(ReceiveOn?.Trim(), ReceiveOnLoop, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return string.Equals(ReceiveOn?.Trim(), ReceiveOnAuto, StringComparison.OrdinalIgnoreCase)
            && eventLoops == 1
            && inlineFrameStage
            && OperatingSystem.IsLinux()
            && TryParseReceiveWait(ReceiveWait, out var wait) && wait == AeronReceiveWait.Blocking;
    }

    public List<string> Validate()
    {
        var errors = new List<string>();
        if (!string.IsNullOrWhiteSpace(Channel))
        {
            if (!AeronChannel.TryParse(Channel, AeronChannelUse.Subscription, out var channel, out var channelError))
            {
                errors.Add($"Ingest:Channel: {channelError}.");
            }
            else if (channel.Kind == AeronChannelKind.Multicast)
            {
                try
                {
                    channel.ResolveInterface();
                }
                catch (InvalidOperationException e)
                {
                    errors.Add($"Ingest:Channel: {e.Message}.");
                }
            }
        }
        else if (!IPEndPoint.TryParse(Endpoint, out var endpoint))
        {
            errors.Add($"Ingest:Endpoint must be address:port (got '{Endpoint}').");
        }
        else if (IsMulticast(endpoint.Address))
        {
            errors.Add($"Ingest:Endpoint {Endpoint} is a multicast address: Endpoint is the unicast shorthand; for multicast set "
                + $"Ingest:Channel=aeron:udp?endpoint={Endpoint}|interface=<this host's address on that network>.");
        }

        if (MaxImages < 1)
        {
            errors.Add($"Ingest:MaxImages must be at least 1 (got {MaxImages}).");
        }

        if (MaxSymbols < 1 || MaxSources < 1)
        {
            errors.Add("Ingest:MaxSymbols and Ingest:MaxSources must be at least 1.");
        }

        if (MaxSubscribableSymbols < 0 || MaxSubscribableSymbols > MaxSymbols)
        {
            errors.Add($"Ingest:MaxSubscribableSymbols must be from 0 to Ingest:MaxSymbols ({MaxSymbols}) (got {MaxSubscribableSymbols}).");
        }

        foreach (var symbol in Symbols)
        {
            if (Edge.Protocol.SymbolRules.CheckSymbol(System.Text.Encoding.UTF8.GetBytes(symbol)) != Edge.Protocol.TextCheck.Ok)
            {
                errors.Add($"Ingest:Symbols: '{symbol}' is not a valid symbol (1-32 bytes of UTF-8, no control characters).");
            }
        }

        if (Symbols.Count > MaxSymbols)
        {
            errors.Add("Ingest:Symbols lists more symbols than Ingest:MaxSymbols allows.");
        }

        if (!TryParseReceiveWait(ReceiveWait, out _))
        {
            errors.Add($"Ingest:ReceiveWait must be one of {ReceiveWaitNames} (got '{ReceiveWait}').");
        }

        var receiveOn = ReceiveOn?.Trim();
        if (!string.IsNullOrEmpty(receiveOn)
            && !string.Equals(receiveOn, ReceiveOnAuto, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(receiveOn, ReceiveOnLoop, StringComparison.OrdinalIgnoreCase)
            && !string.Equals(receiveOn, ReceiveOnThread, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Ingest:ReceiveOn must be one of {ReceiveOnAuto}, {ReceiveOnLoop}, {ReceiveOnThread} (got '{ReceiveOn}').");
        }
        else if (string.Equals(receiveOn, ReceiveOnLoop, StringComparison.OrdinalIgnoreCase) && !OperatingSystem.IsLinux())
        {
            errors.Add("Ingest:ReceiveOn=loop needs Linux (poll and eventfd); use thread or auto.");
        }

        if (ImageLivenessTimeoutSeconds < 1)
        {
            errors.Add($"Ingest:ImageLivenessTimeoutSeconds must be at least 1 (got {ImageLivenessTimeoutSeconds}).");
        }

        return errors;
    }

    /// <summary>224.0.0.0/4 or ff00::/8 (an IPv4-mapped IPv6 address counts as its IPv4 address).</summary>
    public static bool IsMulticast(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            ? address.IsIPv6Multicast
            : (address.GetAddressBytes()[0] & 0xF0) == 0xE0;
    }

    /// <summary>The channel string in force: <see cref="Channel"/>, or the unicast shorthand <see cref="Endpoint"/> as one.</summary>
    public string EffectiveChannel => string.IsNullOrWhiteSpace(Channel) ? "aeron:udp?endpoint=" + Endpoint : Channel.Trim();

    public AeronReceiverOptions ToReceiverOptions()
    {
        var options = CommonReceiverOptions();
        if (string.IsNullOrWhiteSpace(Channel))
        {
            options.Endpoint = IPEndPoint.Parse(Endpoint);
        }
        else
        {
            // rcv-wnd and so-rcvbuf in the channel win over Ingest:SocketReceiveBufferBytes.
            options.ApplyChannel(AeronChannel.Parse(Channel, AeronChannelUse.Subscription));
        }

        return options;
    }

    private AeronReceiverOptions CommonReceiverOptions() => new()
    {
        StreamId = StreamId,
        MaxImages = MaxImages,
        SocketReceiveBufferSize = SocketReceiveBufferBytes,
        ImageLivenessTimeout = TimeSpan.FromSeconds(ImageLivenessTimeoutSeconds),
        ReceiveWait = TryParseReceiveWait(ReceiveWait, out var wait)
            ? wait
            : throw new InvalidOperationException($"Ingest:ReceiveWait must be one of {ReceiveWaitNames} (got '{ReceiveWait}')."),
    };

    /// <summary>
    /// Case-insensitive; '-', '_' and spaces are ignored ("busy-spin", "BusySpin", "busy_spin"), as for
    /// FanOut:RingWaitStrategy. Null or blank means blocking.
    /// </summary>
    public static bool TryParseReceiveWait(string? name, out AeronReceiveWait wait)
    {
        wait = AeronReceiveWait.Blocking;
        if (string.IsNullOrWhiteSpace(name))
        {
            return true;
        }

        var key = name.Trim().Replace("-", string.Empty, StringComparison.Ordinal)
            .Replace("_", string.Empty, StringComparison.Ordinal)
            .Replace(" ", string.Empty, StringComparison.Ordinal);
        if (key.Equals("blocking", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (key.Equals("yielding", StringComparison.OrdinalIgnoreCase))
        {
            wait = AeronReceiveWait.Yielding;
            return true;
        }

        if (key.Equals("busyspin", StringComparison.OrdinalIgnoreCase))
        {
            wait = AeronReceiveWait.BusySpin;
            return true;
        }

        return false;
    }
}
