using System.Net;
using System.Text;
using Edge.Server.Proxy;

namespace Edge.Server.Tests.Proxy;

public sealed class ProxyHeaderParserTests
{
    private static byte[] V2(byte versionCommand, byte familyTransport, byte[] block)
    {
        var header = new byte[16 + block.Length];
        ProxyHeaderParser.V2Signature.CopyTo(header);
        header[12] = versionCommand;
        header[13] = familyTransport;
        header[14] = (byte)(block.Length >> 8);
        header[15] = (byte)block.Length;
        block.CopyTo(header, 16);
        return header;
    }

    private static byte[] Inet4Block(string source, ushort sourcePort, byte[]? tlvs = null)
    {
        byte[] block = [.. IPAddress.Parse(source).GetAddressBytes(), 127, 0, 0, 1, (byte)(sourcePort >> 8), (byte)sourcePort, 0x1F, 0x90];
        return tlvs is null ? block : [.. block, .. tlvs];
    }

    private static ProxyHeaderStatus Parse(byte[] bytes, out int consumed, out IPEndPoint? source, out string? error) =>
        ProxyHeaderParser.Parse(bytes, out consumed, out _, out source, out error);

    [Test]
    public void V1_tcp4_names_the_client_and_consumes_only_the_line()
    {
        var bytes = Encoding.ASCII.GetBytes("PROXY TCP4 192.0.2.7 10.0.0.1 56324 8080\r\nGET / HTTP/1.1\r\n");

        var status = ProxyHeaderParser.Parse(bytes, out var consumed, out var version, out var source, out _);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(ProxyHeaderStatus.Parsed));
            Assert.That(version, Is.EqualTo(1));
            Assert.That(consumed, Is.EqualTo("PROXY TCP4 192.0.2.7 10.0.0.1 56324 8080\r\n".Length));
            Assert.That(source, Is.EqualTo(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 56324)));
        });
    }

    [Test]
    public void V1_tcp6_and_unknown()
    {
        var six = Parse(Encoding.ASCII.GetBytes("PROXY TCP6 2001:db8::7 2001:db8::1 4000 443\r\n"), out _, out var source, out _);
        var unknown = Parse(Encoding.ASCII.GetBytes("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n"), out var consumed, out var unknownSource, out _);

        Assert.Multiple(() =>
        {
            Assert.That(six, Is.EqualTo(ProxyHeaderStatus.Parsed));
            Assert.That(source, Is.EqualTo(new IPEndPoint(IPAddress.Parse("2001:db8::7"), 4000)));
            Assert.That(unknown, Is.EqualTo(ProxyHeaderStatus.Parsed));
            Assert.That(consumed, Is.EqualTo(35));
            Assert.That(unknownSource, Is.Null, "UNKNOWN names no client: the proxy's own address stands");
        });
    }

    [TestCase("PROXY TCP4 192.0.2.7 10.0.0.1 56324\r\n")]
    [TestCase("PROXY TCP4 192.0.2.7 10.0.0.1 56324 8080 extra\r\n")]
    [TestCase("PROXY TCP4 2001:db8::1 10.0.0.1 1 2\r\n")]
    [TestCase("PROXY TCP6 192.0.2.7 2001:db8::1 1 2\r\n")]
    [TestCase("PROXY TCP4 1 10.0.0.1 1 2\r\n")]
    [TestCase("PROXY TCP4 192.0.2.7 10.0.0.1 65536 2\r\n")]
    [TestCase("PROXY TCP4 192.0.2.7 10.0.0.1 080 2\r\n")]
    [TestCase("PROXY TCP4  192.0.2.7 10.0.0.1 1 2\r\n")]
    [TestCase("PROXY UDP4 192.0.2.7 10.0.0.1 1 2\r\n")]
    [TestCase("PROXY TCP4 192.0.2.7\n")]
    public void V1_malformed_lines_are_invalid(string line)
    {
        var status = Parse(Encoding.ASCII.GetBytes(line), out _, out var source, out var error);

        Assert.That(status, Is.EqualTo(ProxyHeaderStatus.Invalid));
        Assert.That(source, Is.Null);
        Assert.That(error, Does.StartWith("PROXY v1"));
    }

    [Test]
    public void V1_without_crlf_within_107_bytes_is_invalid_and_shorter_is_incomplete()
    {
        var longLine = Encoding.ASCII.GetBytes("PROXY UNKNOWN " + new string('x', 100));
        var partial = Encoding.ASCII.GetBytes("PROXY TCP4 192.0.2.7 10.0");

        Assert.That(Parse(longLine, out _, out _, out var error), Is.EqualTo(ProxyHeaderStatus.Invalid));
        Assert.That(error, Does.Contain("107"));
        Assert.That(Parse(partial, out _, out _, out _), Is.EqualTo(ProxyHeaderStatus.Incomplete));
    }

    [Test]
    public void Every_prefix_of_a_header_is_incomplete_and_the_whole_parses()
    {
        byte[][] headers =
        [
            Encoding.ASCII.GetBytes("PROXY TCP4 192.0.2.7 10.0.0.1 56324 8080\r\n"),
            V2(0x21, 0x11, Inet4Block("192.0.2.9", 1234, [0x04, 0x00, 0x02, 0xAB, 0xCD])),
        ];
        foreach (var header in headers)
        {
            for (var length = 0; length < header.Length; length++)
            {
                Assert.That(Parse(header[..length], out _, out _, out _), Is.EqualTo(ProxyHeaderStatus.Incomplete), $"{length} of {header.Length} bytes");
            }

            Assert.That(Parse(header, out var consumed, out _, out _), Is.EqualTo(ProxyHeaderStatus.Parsed));
            Assert.That(consumed, Is.EqualTo(header.Length));
        }
    }

    [Test]
    public void V2_proxy_tcp4_skips_tlvs_and_names_the_client()
    {
        var header = V2(0x21, 0x11, Inet4Block("198.51.100.4", 40000, [0x01, 0x00, 0x02, (byte)'h', (byte)'2']));

        var status = ProxyHeaderParser.Parse([.. header, (byte)'G'], out var consumed, out var version, out var source, out _);

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(ProxyHeaderStatus.Parsed));
            Assert.That(version, Is.EqualTo(2));
            Assert.That(consumed, Is.EqualTo(header.Length));
            Assert.That(source, Is.EqualTo(new IPEndPoint(IPAddress.Parse("198.51.100.4"), 40000)));
        });
    }

    [Test]
    public void V2_proxy_tcp6_names_the_client()
    {
        byte[] block = [.. IPAddress.Parse("2001:db8::42").GetAddressBytes(), .. IPAddress.IPv6Loopback.GetAddressBytes(), 0x12, 0x34, 0x01, 0xBB];

        var status = Parse(V2(0x21, 0x21, block), out _, out var source, out _);

        Assert.That(status, Is.EqualTo(ProxyHeaderStatus.Parsed));
        Assert.That(source, Is.EqualTo(new IPEndPoint(IPAddress.Parse("2001:db8::42"), 0x1234)));
    }

    [Test]
    public void V2_local_and_unspec_name_no_client()
    {
        var local = Parse(V2(0x20, 0x00, []), out var localConsumed, out var localSource, out _);
        var localWithAddresses = Parse(V2(0x20, 0x11, Inet4Block("192.0.2.1", 1)), out _, out var ignored, out _);
        var unspec = Parse(V2(0x21, 0x00, [1, 2, 3]), out _, out var unspecSource, out _);

        Assert.Multiple(() =>
        {
            Assert.That(local, Is.EqualTo(ProxyHeaderStatus.Parsed));
            Assert.That(localConsumed, Is.EqualTo(16));
            Assert.That(localSource, Is.Null);
            Assert.That(localWithAddresses, Is.EqualTo(ProxyHeaderStatus.Parsed));
            Assert.That(ignored, Is.Null, "LOCAL: the spec says to ignore the addresses");
            Assert.That(unspec, Is.EqualTo(ProxyHeaderStatus.Parsed));
            Assert.That(unspecSource, Is.Null);
        });
    }

    [Test]
    public void V2_bad_version_command_family_short_block_and_oversize_are_invalid()
    {
        var oversized = new byte[16];
        ProxyHeaderParser.V2Signature.CopyTo(oversized);
        oversized[12] = 0x21;
        oversized[13] = 0x11;
        oversized[14] = 0xFF;
        oversized[15] = 0xFF;

        Assert.Multiple(() =>
        {
            Assert.That(Parse(V2(0x11, 0x11, Inet4Block("192.0.2.1", 1)), out _, out _, out _), Is.EqualTo(ProxyHeaderStatus.Invalid), "version 1 in a v2 header");
            Assert.That(Parse(V2(0x22, 0x11, Inet4Block("192.0.2.1", 1)), out _, out _, out _), Is.EqualTo(ProxyHeaderStatus.Invalid), "command 2");
            Assert.That(Parse(V2(0x21, 0x41, Inet4Block("192.0.2.1", 1)), out _, out _, out _), Is.EqualTo(ProxyHeaderStatus.Invalid), "family 4");
            Assert.That(Parse(V2(0x21, 0x12, Inet4Block("192.0.2.1", 1)), out _, out _, out _), Is.EqualTo(ProxyHeaderStatus.Invalid), "DGRAM");
            Assert.That(Parse(V2(0x21, 0x21, Inet4Block("192.0.2.1", 1)), out _, out _, out _), Is.EqualTo(ProxyHeaderStatus.Invalid), "TCP6 with a 12-byte block");
            // Refused on the fixed part alone: it never waits for 64 KiB.
            Assert.That(Parse(oversized, out _, out _, out var error), Is.EqualTo(ProxyHeaderStatus.Invalid), "length 65535");
            Assert.That(error, Does.Contain("longer"));
        });
    }

    [TestCase("GET / HTTP/1.1\r\n")]
    [TestCase("POST /admin/broadcast HTTP/1.1\r\n")]
    [TestCase("PROXX TCP4")]
    [TestCase("\x16\x03\x01\x02\x00")]
    [TestCase("\r\n\r\n\0\r\nQUIX\n")]
    public void Other_bytes_are_absent(string text)
    {
        Assert.That(Parse(Encoding.Latin1.GetBytes(text), out var consumed, out _, out _), Is.EqualTo(ProxyHeaderStatus.Absent));
        Assert.That(consumed, Is.Zero);
    }
}
