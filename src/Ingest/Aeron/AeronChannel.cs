using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Edge.Ingest.Aeron;

/// <summary>
/// An Aeron UDP channel URI as Edge's receiver and publisher understand it:
/// <c>aeron:udp?endpoint=…|interface=…|control=…|control-mode=dynamic|ttl=…|…</c>. <see cref="TryParse"/> refuses
/// anything Edge would not honour (an unknown key, a key meant for the other side, an even multicast group), so a
/// channel that parses is one that works as written.
/// </summary>
/// <remarks>
/// Subscription keys: <c>endpoint</c> (required), <c>interface</c>, <c>ttl</c> (multicast), <c>control</c> (dynamic
/// MDC: the publisher's control address), <c>rcv-wnd</c>, <c>so-rcvbuf</c>. Publication keys: <c>endpoint</c>
/// (unicast or multicast) or <c>control</c> with <c>control-mode=dynamic</c>, <c>interface</c>, <c>ttl</c>,
/// <c>term-length</c>, <c>mtu</c>, <c>fc</c> (<c>max</c>, <c>min</c> or <c>min,t:2s</c>), <c>so-sndbuf</c>,
/// <c>session-id</c>. Both: <c>reliable=true</c>; accepted and ignored as in a real driver's channel strings:
/// <c>alias</c>, <c>sparse</c>, <c>tether</c>, <c>gtag</c>, <c>control-mode=dynamic</c> and (unicast/MDC)
/// <c>interface</c> on a subscription. Host names are resolved to IPv4 at parse time.
/// </remarks>
public sealed class AeronChannel
{
    private const string Prefix = "aeron:udp?";
    private const string SubscriptionKeys = "endpoint, interface, ttl, control, control-mode=dynamic, rcv-wnd, so-rcvbuf, reliable=true; ignored: alias, sparse, tether, gtag";
    private const string PublicationKeys = "endpoint, control, control-mode, interface, ttl, term-length, mtu, fc, so-sndbuf, session-id, reliable=true; ignored: alias, sparse, tether, gtag";

    private AeronChannel(string text) => Text = text;

    /// <summary>The channel string as given.</summary>
    public string Text { get; }

    public AeronChannelKind Kind { get; private set; }

    /// <summary>
    /// Unicast: the receiver's address. Multicast: the data group and port. MDC subscription: the receiver's own
    /// address (the publisher learns it from the status messages). Null for an MDC publication.
    /// </summary>
    public IPEndPoint? Endpoint { get; private set; }

    /// <summary>
    /// Where receivers send status messages and NAKs: the control group (data group + 1, same port) for multicast,
    /// the publisher's control address for MDC; null for unicast (the sender's source address).
    /// </summary>
    public IPEndPoint? Control { get; private set; }

    /// <summary>The <c>interface</c> value: an address, or a network (address/prefix) to find this host's address in.</summary>
    public IPAddress? InterfaceAddress { get; private set; }

    /// <summary>Prefix length of <c>interface=address/prefix</c>; 32 for a plain address.</summary>
    public int InterfacePrefixLength { get; private set; } = 32;

    public int? Ttl { get; private set; }

    public int? ReceiverWindowLength { get; private set; }

    public int? SocketReceiveBufferSize { get; private set; }

    public int? SocketSendBufferSize { get; private set; }

    public int? TermLength { get; private set; }

    public int? Mtu { get; private set; }

    /// <summary>The <c>session-id</c> of a publication: the session it sends as (random when unset).</summary>
    public int? SessionId { get; private set; }

    public AeronFlowControl FlowControl { get; private set; } = AeronFlowControl.Max;

    /// <summary>The <c>t:</c> of <c>fc=min,t:…</c>: a receiver silent this long no longer holds the publication back.</summary>
    public TimeSpan? FlowControlReceiverTimeout { get; private set; }

    /// <summary>Parses or throws <see cref="FormatException"/> with the reason.</summary>
    public static AeronChannel Parse(string text, AeronChannelUse use) =>
        TryParse(text, use, out var channel, out var error) ? channel : throw new FormatException(error);

    /// <summary>Parses <paramref name="text"/> for <paramref name="use"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, AeronChannelUse use, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out AeronChannel? channel, out string error)
    {
        channel = null;
        error = string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the channel is empty";
            return false;
        }

        text = text.Trim();
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = $"'{text}' is not an Aeron UDP channel (it must start with '{Prefix}'; aeron:ipc is not supported)";
            return false;
        }

        var parsed = new AeronChannel(text);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string? controlMode = null;
        foreach (var part in text[Prefix.Length..].Split('|'))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                error = $"'{part}' in '{text}' is not key=value";
                return false;
            }

            var key = part[..equals];
            var value = part[(equals + 1)..];
            if (!seen.Add(key))
            {
                error = $"'{key}' is given twice in '{text}'";
                return false;
            }

            var valueError = parsed.Apply(key, value, use, ref controlMode);
            if (valueError is not null)
            {
                error = valueError;
                return false;
            }
        }

        var shapeError = use == AeronChannelUse.Subscription ? parsed.CheckSubscription() : parsed.CheckPublication(controlMode);
        if (shapeError is not null)
        {
            error = shapeError;
            return false;
        }

        channel = parsed;
        return true;
    }

    /// <summary>The control group of a multicast data group: its last octet + 1, same port (the data group's last octet is odd).</summary>
    public static IPEndPoint ControlGroupOf(IPEndPoint group)
    {
        var bytes = group.Address.GetAddressBytes();
        bytes[^1]++;
        return new IPEndPoint(new IPAddress(bytes), group.Port);
    }

    /// <summary>
    /// The local IPv4 address multicast joins and sends on: <c>interface</c> as given, or this host's address inside
    /// <c>interface=network/prefix</c>; <see cref="IPAddress.Any"/> (the kernel's choice by route) when unset.
    /// </summary>
    public IPAddress ResolveInterface()
    {
        if (InterfaceAddress is null)
        {
            return IPAddress.Any;
        }

        if (InterfacePrefixLength == 32)
        {
            return InterfaceAddress;
        }

        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork
                    && SameNetwork(unicast.Address, InterfaceAddress, InterfacePrefixLength))
                {
                    return unicast.Address;
                }
            }
        }

        throw new InvalidOperationException(
            $"no address of this host is in interface={InterfaceAddress}/{InterfacePrefixLength} (channel {Text})");
    }

    public override string ToString() => Text;

    private static bool SameNetwork(IPAddress address, IPAddress network, int prefixLength)
    {
        var a = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        var n = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(network.GetAddressBytes());
        var mask = prefixLength == 0 ? 0u : uint.MaxValue << (32 - prefixLength);
        return (a & mask) == (n & mask);
    }

    private static bool IsMulticast(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork ? (address.GetAddressBytes()[0] & 0xF0) == 0xE0 : address.IsIPv6Multicast;

    private string? Apply(string key, string value, AeronChannelUse use, ref string? controlMode)
    {
        var subscription = use == AeronChannelUse.Subscription;
        switch (key)
        {
            case "endpoint":
                if (!TryEndPoint(value, out var endpoint, out var endpointError))
                {
                    return $"endpoint={value} {endpointError} (channel {Text})";
                }

                Endpoint = endpoint;
                return null;
            case "control":
                if (!TryEndPoint(value, out var control, out var controlError))
                {
                    return $"control={value} {controlError} (channel {Text})";
                }

                if (control.Port == 0 || IsMulticast(control.Address))
                {
                    return $"control={value} must be a unicast address:port with a port (channel {Text})";
                }

                Control = control;
                return null;
            case "control-mode" when !subscription:
                if (value == "manual")
                {
                    return $"control-mode=manual is not supported (Edge's publisher has no add-destination call): use control-mode=dynamic (channel {Text})";
                }

                if (value != "dynamic")
                {
                    return $"control-mode={value} is not supported: use control-mode=dynamic (channel {Text})";
                }

                controlMode = value;
                return null;
            case "control-mode" when value == "dynamic":
                // The real driver accepts it on a subscription (the same channel string on both sides); it changes nothing.
                return null;
            case "control-mode":
                return $"control-mode={value} is not supported on a subscription: a subscription names the publisher's control address (control=…), control-mode=dynamic is accepted and ignored (channel {Text})";
            case "alias" or "sparse" or "tether" or "gtag":
                // Accepted and ignored: a label (alias), how the driver maps its term files (sparse), whether a slow
                // consumer in the same driver holds the publication back (tether; Edge has one consumer per image),
                // a flow-control group tag (gtag; only fc=tagged reads it and Edge's publisher refuses fc=tagged).
                return null;
            case "reliable":
                // C: reliable=false fills gaps with padding instead of NAKing; Edge always NAKs.
                return value switch
                {
                    "true" => null,
                    "false" => $"reliable=false is not supported: Edge's receiver always NAKs for loss (reliable=true) (channel {Text})",
                    _ => $"reliable={value} must be true or false (channel {Text})",
                };
            case "session-id" when !subscription:
                if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var sessionId))
                {
                    return $"session-id={value} must be a 32-bit integer (channel {Text})";
                }

                SessionId = sessionId;
                return null;
            case "session-id":
                return $"session-id= on a subscription is not supported: Edge's receiver takes every session of the stream (channel {Text})";
            case "interface":
                return ParseInterface(value);
            case "ttl":
                if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ttl) || ttl > 255)
                {
                    return $"ttl={value} must be 0 to 255 (channel {Text})";
                }

                Ttl = ttl;
                return null;
            case "rcv-wnd" when subscription:
                return ParseSize(key, value, 4096, int.MaxValue, size => ReceiverWindowLength = size);
            case "so-rcvbuf" when subscription:
                return ParseSize(key, value, 0, int.MaxValue, size => SocketReceiveBufferSize = size);
            case "so-sndbuf" when !subscription:
                return ParseSize(key, value, 0, int.MaxValue, size => SocketSendBufferSize = size);
            case "term-length" when !subscription:
                return ParseSize(key, value, 0, int.MaxValue, size => TermLength = size);
            case "mtu" when !subscription:
                return ParseSize(key, value, 0, int.MaxValue, size => Mtu = size);
            case "fc" when !subscription:
                return ParseFlowControl(value);
            default:
                return subscription
                    ? $"'{key}' is not a subscription setting Edge honours (channel {Text}); supported: {SubscriptionKeys}"
                        + (key is "term-length" or "mtu" or "fc" ? $" ({key} is the publisher's: its SETUP carries it)" : string.Empty)
                    : $"'{key}' is not a publication setting Edge's publisher honours (channel {Text}); supported: {PublicationKeys}";
        }
    }

    private string? ParseInterface(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? value : value[..slash];
        var address = ResolveIPv4(addressText, out var resolveError);
        if (address is null)
        {
            return $"interface={value} must be an IPv4 address, host name or address/prefix: {resolveError} (channel {Text})";
        }

        var prefix = 32;
        if (slash >= 0 && (!int.TryParse(value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > 32))
        {
            return $"interface={value}: the prefix must be 0 to 32 (channel {Text})";
        }

        InterfaceAddress = address;
        InterfacePrefixLength = prefix;
        return null;
    }

    private string? ParseFlowControl(string value)
    {
        var parts = value.Split(',');
        switch (parts[0])
        {
            case "max" when parts.Length == 1:
                FlowControl = AeronFlowControl.Max;
                return null;
            case "min":
                FlowControl = AeronFlowControl.Min;
                for (var i = 1; i < parts.Length; i++)
                {
                    if (!parts[i].StartsWith("t:", StringComparison.Ordinal) || !TryDuration(parts[i][2..], out var timeout) || timeout <= TimeSpan.Zero)
                    {
                        return $"fc={value}: only a receiver timeout (t:5s, t:500ms) may follow min (channel {Text})";
                    }

                    FlowControlReceiverTimeout = timeout;
                }

                return null;
            case "tagged":
                return $"fc=tagged is not supported by Edge's publisher: use fc=max or fc=min[,t:<timeout>] (channel {Text})";
            default:
                return $"fc={value} must be max, min or min,t:<timeout> (channel {Text})";
        }
    }

    private string? ParseSize(string key, string value, int min, int max, Action<int> set)
    {
        if (!TrySize(value, out var size) || size < min || size > max)
        {
            return $"{key}={value} must be a size from {min} (bytes, or with k, m or g) (channel {Text})";
        }

        set((int)size);
        return null;
    }

    private string? CheckSubscription()
    {
        if (Endpoint is null && Control is not null)
        {
            // A dynamic-MDC subscription may leave endpoint= out: it binds any address, any port (C: the wildcard), and
            // the publisher learns where to send from its status messages.
            Endpoint = new IPEndPoint(IPAddress.Any, 0);
        }

        if (Endpoint is null)
        {
            return $"a subscription channel needs endpoint= (or control= for dynamic MDC) (channel {Text})";
        }

        if (IsMulticast(Endpoint.Address))
        {
            if (Endpoint.Address.AddressFamily != AddressFamily.InterNetwork)
            {
                return $"endpoint={Endpoint}: IPv6 multicast is not supported (channel {Text})";
            }

            if ((Endpoint.Address.GetAddressBytes()[^1] & 1) == 0)
            {
                return $"endpoint={Endpoint}: a multicast data group's last octet must be odd (the control group is the next address) (channel {Text})";
            }

            if (Endpoint.Port == 0)
            {
                return $"endpoint={Endpoint}: a multicast group needs a port (channel {Text})";
            }

            if (Control is not null)
            {
                return $"control= does not go with a multicast endpoint: the control group is the data group + 1 (channel {Text})";
            }

            Kind = AeronChannelKind.Multicast;
            Control = ControlGroupOf(Endpoint);
            return null;
        }

        if (Ttl is not null)
        {
            return $"ttl= only goes with a multicast endpoint (channel {Text})";
        }

        // interface= on a unicast or MDC subscription is accepted and ignored: the socket binds endpoint= as given.
        InterfaceAddress = null;
        InterfacePrefixLength = 32;
        Kind = Control is null ? AeronChannelKind.Unicast : AeronChannelKind.Mdc;
        return null;
    }

    private string? CheckPublication(string? controlMode)
    {
        if (controlMode == "dynamic")
        {
            if (Control is null)
            {
                return $"control-mode=dynamic needs control=<address:port> to listen on (channel {Text})";
            }

            if (Endpoint is not null)
            {
                return $"a control-mode=dynamic publication has no endpoint=: it sends to the receivers that reach its control address (channel {Text})";
            }

            if (InterfaceAddress is not null || Ttl is not null)
            {
                return $"interface= and ttl= only go with a multicast endpoint (channel {Text})";
            }

            Kind = AeronChannelKind.Mdc;
            return null;
        }

        if (Control is not null)
        {
            return $"control= on a publication needs control-mode=dynamic (channel {Text})";
        }

        if (Endpoint is null)
        {
            return $"a publication channel needs endpoint= (or control=…|control-mode=dynamic) (channel {Text})";
        }

        if (Endpoint.Port == 0)
        {
            return $"endpoint={Endpoint} needs a port (channel {Text})";
        }

        if (IsMulticast(Endpoint.Address))
        {
            if (Endpoint.Address.AddressFamily != AddressFamily.InterNetwork)
            {
                return $"endpoint={Endpoint}: IPv6 multicast is not supported (channel {Text})";
            }

            if ((Endpoint.Address.GetAddressBytes()[^1] & 1) == 0)
            {
                return $"endpoint={Endpoint}: a multicast data group's last octet must be odd (the control group is the next address) (channel {Text})";
            }

            Kind = AeronChannelKind.Multicast;
            Control = ControlGroupOf(Endpoint);
            return null;
        }

        if (InterfaceAddress is not null || Ttl is not null)
        {
            return $"interface= and ttl= only go with a multicast endpoint (channel {Text})";
        }

        if (FlowControl != AeronFlowControl.Max || FlowControlReceiverTimeout is not null)
        {
            return $"fc= only goes with several receivers (a multicast endpoint or control-mode=dynamic) (channel {Text})";
        }

        Kind = AeronChannelKind.Unicast;
        return null;
    }

    private static bool TryEndPoint(string value, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IPEndPoint? endpoint, out string error)
    {
        // IPEndPoint.TryParse takes "1.2.3.4" without a port (port 0); Aeron endpoints always name one.
        endpoint = null;
        error = "is not address:port";
        if (!value.Contains(':', StringComparison.Ordinal))
        {
            return false;
        }

        if (IPEndPoint.TryParse(value, out endpoint))
        {
            return true;
        }

        // A host name (the real driver resolves it when the channel is opened): resolved once, here, to IPv4.
        var colon = value.LastIndexOf(':');
        var host = value[..colon];
        if (host.Length == 0 || host.Contains(':', StringComparison.Ordinal)
            || !int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            return false;
        }

        var address = ResolveIPv4(host, out var resolveError);
        if (address is null)
        {
            error = $"is not address:port: {resolveError}";
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        return true;
    }

    /// <summary>An IPv4 literal as is, or the first IPv4 address a host name resolves to; null with the reason otherwise.</summary>
    private static IPAddress? ResolveIPv4(string host, out string error)
    {
        error = string.Empty;
        if (IPAddress.TryParse(host, out var literal))
        {
            if (literal.AddressFamily == AddressFamily.InterNetwork)
            {
                return literal;
            }

            error = $"{host} is not IPv4";
            return null;
        }

        try
        {
            foreach (var address in Dns.GetHostAddresses(host, AddressFamily.InterNetwork))
            {
                return address;
            }

            error = $"host name '{host}' has no IPv4 address";
        }
        catch (Exception e) when (e is SocketException or ArgumentException)
        {
            error = $"host name '{host}' does not resolve ({e.Message})";
        }

        return null;
    }

    /// <summary>Aeron's size syntax: bytes, or a number with k, m or g (binary multiples).</summary>
    private static bool TrySize(string value, out long size)
    {
        size = 0;
        if (value.Length == 0)
        {
            return false;
        }

        long multiplier = char.ToLowerInvariant(value[^1]) switch
        {
            'k' => 1024,
            'm' => 1024 * 1024,
            'g' => 1024 * 1024 * 1024,
            _ => 1,
        };
        var digits = multiplier == 1 ? value : value[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > int.MaxValue)
        {
            return false;
        }

        size = number * multiplier;
        return size <= int.MaxValue;
    }

    /// <summary>Aeron's duration syntax: a number with ns, us, ms or s (a bare number is nanoseconds).</summary>
    private static bool TryDuration(string value, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var (digits, nanosPerUnit) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 1_000_000L)
            : value.EndsWith("us", StringComparison.Ordinal) ? (value[..^2], 1_000L)
            : value.EndsWith("ns", StringComparison.Ordinal) ? (value[..^2], 1L)
            : value.EndsWith('s') ? (value[..^1], 1_000_000_000L)
            : (value, 1L);
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > long.MaxValue / nanosPerUnit)
        {
            return false;
        }

        duration = TimeSpan.FromTicks(number * nanosPerUnit / 100);
        return true;
    }
}
