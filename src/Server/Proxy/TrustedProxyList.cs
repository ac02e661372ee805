using System.Net;
using System.Net.Sockets;

namespace Edge.Server.Proxy;

/// <summary>The balancers allowed to send a PROXY protocol header (<c>Server:TrustedProxies</c>): addresses and CIDR prefixes.</summary>
public sealed class TrustedProxyList
{
    private readonly byte[][] _networks;
    private readonly int[] _prefixes;

    public TrustedProxyList(IReadOnlyList<string> entries)
    {
        var networks = new List<byte[]>(entries.Count);
        var prefixes = new List<int>(entries.Count);
        foreach (var entry in entries)
        {
            if (!TryParseEntry(entry, out var network, out var prefix))
            {
                throw new ArgumentException($"not an IP address or CIDR prefix: '{entry}'", nameof(entries));
            }

            networks.Add(network.GetAddressBytes());
            prefixes.Add(prefix);
        }

        _networks = [.. networks];
        _prefixes = [.. prefixes];
    }

    /// <summary>True when no balancer is trusted.</summary>
    public bool IsEmpty => _networks.Length == 0;

    /// <summary>Parses <c>address</c> or <c>address/prefix</c>; an IPv4-mapped IPv6 address counts as its IPv4 address.</summary>
    public static bool TryParseEntry(string? entry, out IPAddress network, out int prefix)
    {
        network = IPAddress.None;
        prefix = 0;
        if (string.IsNullOrWhiteSpace(entry))
        {
            return false;
        }

        var text = entry.AsSpan().Trim();
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text : text[..slash];
        if (!IPAddress.TryParse(addressText, out var address) || (address.AddressFamily == AddressFamily.InterNetwork && addressText.Count('.') != 3))
        {
            return false;
        }

        address = Normalize(address);
        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (slash < 0)
        {
            prefix = bits;
        }
        else if (!int.TryParse(text[(slash + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > bits)
        {
            return false;
        }

        network = address;
        return true;
    }

    public bool Contains(EndPoint? endPoint) => endPoint is IPEndPoint ip && Contains(ip.Address);

    public bool Contains(IPAddress address)
    {
        if (_networks.Length == 0)
        {
            return false;
        }

        address = Normalize(address);
        Span<byte> bytes = stackalloc byte[16];
        if (!address.TryWriteBytes(bytes, out var length))
        {
            return false;
        }

        bytes = bytes[..length];
        for (var i = 0; i < _networks.Length; i++)
        {
            if (_networks[i].Length == length && PrefixMatches(_networks[i], bytes, _prefixes[i]))
            {
                return true;
            }
        }

        return false;
    }

    private static bool PrefixMatches(ReadOnlySpan<byte> network, ReadOnlySpan<byte> address, int prefix)
    {
        var whole = prefix / 8;
        if (!network[..whole].SequenceEqual(address[..whole]))
        {
            return false;
        }

        var rest = prefix % 8;
        if (rest == 0)
        {
            return true;
        }

        var mask = (byte)(0xFF << (8 - rest));
        return (network[whole] & mask) == (address[whole] & mask);
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
