using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Edge.Server.Proxy;

/// <summary>
/// Parses the PROXY protocol header (HAProxy's proxy-protocol.txt), versions 1 (text) and 2 (binary), from the first
/// bytes of a connection. It never reads past the header, never accepts more than <see cref="MaxV1Bytes"/> of text
/// or <see cref="MaxV2Bytes"/> of binary, and says <see cref="ProxyHeaderStatus.Incomplete"/> until it can decide.
/// </summary>
public static class ProxyHeaderParser
{
    /// <summary>The longest v1 line the spec allows, CRLF included.</summary>
    public const int MaxV1Bytes = 107;

    /// <summary>The v2 fixed part: signature, version/command, family/transport, length.</summary>
    public const int V2FixedBytes = 16;

    /// <summary>
    /// The longest v2 header taken: the fixed part, the largest address block (AF_UNIX, 216 bytes) and room for
    /// TLVs (which Edge skips). HAProxy sends far less unless told to add many TLVs.
    /// </summary>
    public const int MaxV2Bytes = V2FixedBytes + 1024;

    /// <summary>"PROXY " — the v1 signature.</summary>
    public static ReadOnlySpan<byte> V1Signature => "PROXY "u8;

    /// <summary>The 12-byte v2 signature.</summary>
    public static ReadOnlySpan<byte> V2Signature => [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A];

    /// <summary>
    /// Parses <paramref name="bytes"/> (the start of the connection). On <see cref="ProxyHeaderStatus.Parsed"/>,
    /// <paramref name="consumed"/> is the header's length and <paramref name="source"/> the original client, or null
    /// when the header names none (v2 LOCAL, as in HAProxy's health checks; v1 UNKNOWN; v2 UNSPEC or UNIX): then the
    /// connection's own peer stands. On <see cref="ProxyHeaderStatus.Invalid"/>, <paramref name="error"/> says why.
    /// </summary>
    public static ProxyHeaderStatus Parse(ReadOnlySpan<byte> bytes, out int consumed, out int version, out IPEndPoint? source, out string? error)
    {
        consumed = 0;
        version = 0;
        source = null;
        error = null;
        if (bytes.IsEmpty)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        if (StartsWithOrIsPrefix(bytes, V1Signature, out var v1Whole))
        {
            version = 1;
            return v1Whole ? ParseV1(bytes, out consumed, out source, out error) : ProxyHeaderStatus.Incomplete;
        }

        if (StartsWithOrIsPrefix(bytes, V2Signature, out var v2Whole))
        {
            version = 2;
            return v2Whole ? ParseV2(bytes, out consumed, out source, out error) : ProxyHeaderStatus.Incomplete;
        }

        return ProxyHeaderStatus.Absent;
    }

    // True when bytes start with signature (whole) or are a proper prefix of it (more needed).
    private static bool StartsWithOrIsPrefix(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> signature, out bool whole)
    {
        var length = Math.Min(bytes.Length, signature.Length);
        whole = length == signature.Length;
        return bytes[..length].SequenceEqual(signature[..length]);
    }

    private static ProxyHeaderStatus ParseV1(ReadOnlySpan<byte> bytes, out int consumed, out IPEndPoint? source, out string? error)
    {
        consumed = 0;
        source = null;
        error = null;
        var window = bytes[..Math.Min(bytes.Length, MaxV1Bytes)];
        var end = window.IndexOf("\r\n"u8);
        if (end < 0)
        {
            if (bytes.Length >= MaxV1Bytes)
            {
                error = "PROXY v1 line longer than 107 bytes";
                return ProxyHeaderStatus.Invalid;
            }

            // A lone LF or other control byte can never become a valid line: refuse now rather than wait.
            foreach (var b in window)
            {
                if (b == (byte)'\n' || b == 0)
                {
                    error = "PROXY v1 line malformed";
                    return ProxyHeaderStatus.Invalid;
                }
            }

            return ProxyHeaderStatus.Incomplete;
        }

        consumed = end + 2;
        var lineBytes = window[V1Signature.Length..end];
        Span<char> chars = stackalloc char[MaxV1Bytes];
        for (var i = 0; i < lineBytes.Length; i++)
        {
            // Bytes outside printable ASCII never belong in a v1 line; as '\0' they fail every check below.
            var b = lineBytes[i];
            chars[i] = b is >= 0x21 and <= 0x7E || b == (byte)' ' ? (char)b : '\0';
        }

        ReadOnlySpan<char> line = chars[..lineBytes.Length];
        Span<Range> fields = stackalloc Range[6];
        var count = line.Split(fields, ' ');
        var protocol = line[fields[0]];
        if (protocol.SequenceEqual("UNKNOWN"))
        {
            // The sender does not know the client (the spec: ignore the rest of the line).
            return ProxyHeaderStatus.Parsed;
        }

        var family = protocol.SequenceEqual("TCP4") ? AddressFamily.InterNetwork
            : protocol.SequenceEqual("TCP6") ? AddressFamily.InterNetworkV6
            : AddressFamily.Unknown;
        if (family == AddressFamily.Unknown)
        {
            error = "PROXY v1 protocol must be TCP4, TCP6 or UNKNOWN";
            return ProxyHeaderStatus.Invalid;
        }

        if (count != 5
            || !TryParseV1Address(line[fields[1]], family, out var sourceAddress)
            || !TryParseV1Address(line[fields[2]], family, out _)
            || !TryParseV1Port(line[fields[3]], out var sourcePort)
            || !TryParseV1Port(line[fields[4]], out _))
        {
            error = "PROXY v1 addresses or ports malformed";
            return ProxyHeaderStatus.Invalid;
        }

        source = new IPEndPoint(sourceAddress, sourcePort);
        return ProxyHeaderStatus.Parsed;
    }

    private static bool TryParseV1Address(ReadOnlySpan<char> text, AddressFamily family, out IPAddress address)
    {
        address = IPAddress.None;
        // IPAddress.TryParse also takes "1", "0x7f.1" or a scope id; the spec's TCP4 is the dotted quad, TCP6 plain.
        if (text.IsEmpty || (family == AddressFamily.InterNetwork && text.Count('.') != 3) || text.Contains('%'))
        {
            return false;
        }

        return IPAddress.TryParse(text, out address!) && address.AddressFamily == family;
    }

    private static bool TryParseV1Port(ReadOnlySpan<char> text, out int port)
    {
        port = 0;
        // Decimal 0..65535 without a leading zero (the spec's form).
        if (text.IsEmpty || text.Length > 5 || (text[0] == '0' && text.Length > 1))
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            port = (port * 10) + (c - '0');
        }

        return port <= 65535;
    }

    private static ProxyHeaderStatus ParseV2(ReadOnlySpan<byte> bytes, out int consumed, out IPEndPoint? source, out string? error)
    {
        consumed = 0;
        source = null;
        error = null;
        if (bytes.Length < V2FixedBytes)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        var versionCommand = bytes[12];
        var familyTransport = bytes[13];
        var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[14..]);
        if (versionCommand >> 4 != 2)
        {
            error = "PROXY v2 version must be 2";
            return ProxyHeaderStatus.Invalid;
        }

        var command = versionCommand & 0x0F;
        if (command > 1)
        {
            error = "PROXY v2 command must be LOCAL or PROXY";
            return ProxyHeaderStatus.Invalid;
        }

        if (V2FixedBytes + length > MaxV2Bytes)
        {
            error = "PROXY v2 header longer than " + MaxV2Bytes.ToString(CultureInfo.InvariantCulture) + " bytes";
            return ProxyHeaderStatus.Invalid;
        }

        if (bytes.Length < V2FixedBytes + length)
        {
            return ProxyHeaderStatus.Incomplete;
        }

        consumed = V2FixedBytes + length;
        var block = bytes.Slice(V2FixedBytes, length);
        var family = familyTransport >> 4;
        var transport = familyTransport & 0x0F;
        if (family > 3 || transport > 2)
        {
            error = "PROXY v2 address family or transport unknown";
            return ProxyHeaderStatus.Invalid;
        }

        var addressBytes = family switch { 1 => 12, 2 => 36, 3 => 216, _ => 0 };
        if (length < addressBytes)
        {
            error = "PROXY v2 address block shorter than its family needs";
            return ProxyHeaderStatus.Invalid;
        }

        // LOCAL: the proxy speaks for itself (health checks); the spec says to ignore any addresses. Likewise UNSPEC
        // and UNIX sockets: no IP client to name, the connection's own peer stands. TLVs after the addresses are skipped.
        if (command == 0 || family is 0 or 3)
        {
            return ProxyHeaderStatus.Parsed;
        }

        if (transport != 1)
        {
            error = "PROXY v2 transport must be STREAM for a TCP connection";
            return ProxyHeaderStatus.Invalid;
        }

        if (family == 1)
        {
            source = new IPEndPoint(new IPAddress(block[..4]), BinaryPrimitives.ReadUInt16BigEndian(block[8..]));
        }
        else
        {
            source = new IPEndPoint(new IPAddress(block[..16]), BinaryPrimitives.ReadUInt16BigEndian(block[32..]));
        }

        return ProxyHeaderStatus.Parsed;
    }
}
