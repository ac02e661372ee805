using System.Text;
using Edge.Protocol.WebSockets;

namespace Edge.EndToEnd.Tests.WebSockets;

/// <summary>
/// The cases of Autobahn|Testsuite sections 1-7 (framing, pings and pongs, reserved bits, opcodes, fragmentation,
/// UTF-8, close), rebuilt from the suite's case descriptions: the suite itself cannot be installed here. Numbers
/// follow the suite's where a case maps one to one.
/// </summary>
internal static class AutobahnCases
{
    private const int Normal = 1000;
    private const int ProtocolError = 1002;
    private const int InvalidPayload = 1007;

    private static readonly string[] ValidUtf8 =
    [
        "cebae1bdb9cf83cebcceb5", "ceba", "cebae1bdb9", "cebae1bdb9cf83", "cebae1bdb9cf83cebc",
        "00", "c280", "e0a080", "f0908080", "7f", "dfbf", "efbfbf", "f48fbfbf",
        "ed9fbf", "ee8080", "efbfbd", "efbfbe", "f09fbfbe", "f09fbfbf", "f48fbfbe", "efb790", "efbfb9",
        "48656c6c6f2dc2b540c39fc3b6c3a4c3bcc3a0c3a12d5554462d382121",
    ];

    private static readonly string[] InvalidUtf8 =
    [
        "cebae1bdb9cf83cebcceb5eda080656469746564", "ce", "cebae1", "cebae1bd", "cebae1bdb9cf", "cebae1bdb9cf83ce", "cebae1bdb9cf83cebcce",
        "f888808080", "fc8480808080", "f7bfbfbf", "fbbfbfbfbf", "fdbfbfbfbfbf", "f4908080",
        "80", "bf", "80bf", "80bf80", "80bf80bf", "80bf80bf80", "80bf80bf80bf",
        "c020", "e020", "f020", "f820", "fc20",
        "c0", "e080", "f08080", "f8808080", "fc80808080", "df", "efbf", "f7bfbf", "fbbfbfbf", "fdbfbfbfbf",
        "c0e080f08080f8808080fc80808080dfefbff7bfbffbbfbfbffdbfbfbfbf",
        "fe", "ff", "fefeffff",
        "c0af", "e080af", "f08080af", "f8808080af", "fc80808080af",
        "c1bf", "e09fbf", "f08fbfbf", "f887bfbfbf", "fc83bfbfbfbf",
        "c080", "e08080", "f0808080", "f880808080", "fc8080808080",
        "eda080", "edadbf", "edae80", "edafbf", "edb080", "edbe80", "edbfbf",
        "eda080edb080", "eda080edbfbf", "edadbfedb080", "edadbfedbfbf", "edae80edb080", "edafbfedbfbf",
    ];

    public static IEnumerable<AutobahnCase> All() =>
        Framing().Concat(PingPong()).Concat(ReservedBits()).Concat(Opcodes()).Concat(Fragmentation()).Concat(Utf8()).Concat(Close());

    /// <summary>Section 1: text and binary messages of every length form, whole and chopped.</summary>
    private static IEnumerable<AutobahnCase> Framing()
    {
        int[] lengths = [0, 125, 126, 127, 128, 65535, 65536];
        for (var i = 0; i < lengths.Length; i++)
        {
            var text = Encoding.ASCII.GetBytes(new string('*', lengths[i]));
            var binary = Enumerable.Repeat((byte)0xfe, lengths[i]).ToArray();
            yield return Echo($"1.1.{i + 1}", [Frame(WebSocketOpcode.Text, text)], Message(WebSocketOpcode.Text, text));
            yield return Echo($"1.2.{i + 1}", [Frame(WebSocketOpcode.Binary, binary)], Message(WebSocketOpcode.Binary, binary));
        }

        var big = Encoding.ASCII.GetBytes(new string('*', 65536));
        yield return Echo("1.1.8", Chop(Frame(WebSocketOpcode.Text, big), 997), Message(WebSocketOpcode.Text, big));
        var bigBinary = Enumerable.Repeat((byte)0xfe, 65536).ToArray();
        yield return Echo("1.2.8", Chop(Frame(WebSocketOpcode.Binary, bigBinary), 997), Message(WebSocketOpcode.Binary, bigBinary));
    }

    /// <summary>Section 2: pings answered with their payload, oversized pings refused, pongs ignored.</summary>
    private static IEnumerable<AutobahnCase> PingPong()
    {
        byte[] hello = "Hello, world!"u8.ToArray();
        byte[] binary = [0x00, 0xff, 0xfe, 0xfd, 0xfc, 0xfb, 0x00, 0xff];
        var max = Enumerable.Repeat((byte)0xfe, 125).ToArray();
        yield return Echo("2.1", [Frame(WebSocketOpcode.Ping, [])], Pong([]));
        yield return Echo("2.2", [Frame(WebSocketOpcode.Ping, hello)], Pong(hello));
        yield return Echo("2.3", [Frame(WebSocketOpcode.Ping, binary)], Pong(binary));
        yield return Echo("2.4", [Frame(WebSocketOpcode.Ping, max)], Pong(max));
        yield return Fail("2.5", [Frame(WebSocketOpcode.Ping, Enumerable.Repeat((byte)0xfe, 126).ToArray())], ProtocolError);
        yield return Echo("2.6", Chop(Frame(WebSocketOpcode.Ping, max), 1), Pong(max));
        yield return Echo("2.7", [Frame(WebSocketOpcode.Pong, [])]);
        yield return Echo("2.8", [Frame(WebSocketOpcode.Pong, "unsolicited pong payload"u8.ToArray())]);
        yield return Echo("2.9", [Frame(WebSocketOpcode.Pong, "unsolicited pong payload"u8.ToArray()), Frame(WebSocketOpcode.Ping, "ping payload"u8.ToArray())], Pong("ping payload"u8.ToArray()));
        var tenPings = Enumerable.Range(0, 10).Select(i => Frame(WebSocketOpcode.Ping, Encoding.ASCII.GetBytes("payload-" + i))).ToArray();
        var tenPongs = Enumerable.Range(0, 10).SelectMany(i => Pong(Encoding.ASCII.GetBytes("payload-" + i))).ToArray();
        yield return Echo("2.10", tenPings, tenPongs);
        yield return Echo("2.11", tenPings.SelectMany(p => Chop(p, 1)).ToArray(), tenPongs);
    }

    /// <summary>Section 3: any reserved bit fails the connection, even after a good message.</summary>
    private static IEnumerable<AutobahnCase> ReservedBits()
    {
        byte[] hello = "Hello"u8.ToArray();
        yield return Fail("3.1", [WireFrame.Raw(0x80 | 0x40 | 0x1, hello)], ProtocolError);
        yield return Fail("3.2", [Frame(WebSocketOpcode.Text, hello), WireFrame.Raw(0x80 | 0x20 | 0x1, hello), Frame(WebSocketOpcode.Ping, [])], ProtocolError, Message(WebSocketOpcode.Text, hello));
        yield return Fail("3.3", [Concat(Frame(WebSocketOpcode.Text, hello), WireFrame.Raw(0x80 | 0x60 | 0x1, hello), Frame(WebSocketOpcode.Ping, []))], ProtocolError, Message(WebSocketOpcode.Text, hello));
        yield return Fail("3.4", Chop(Concat(Frame(WebSocketOpcode.Text, hello), WireFrame.Raw(0x80 | 0x10 | 0x1, hello), Frame(WebSocketOpcode.Ping, [])), 1), ProtocolError, Message(WebSocketOpcode.Text, hello));
        yield return Fail("3.5", [WireFrame.Raw(0x80 | 0x50 | 0x2, [0x00, 0xff, 0xfe])], ProtocolError);
        yield return Fail("3.6", [WireFrame.Raw(0x80 | 0x60 | 0x9, hello)], ProtocolError);
        yield return Fail("3.7", [WireFrame.Raw(0x80 | 0x70 | 0x8, [0x03, 0xe8])], ProtocolError);
    }

    /// <summary>Section 4: reserved data and control opcodes fail the connection.</summary>
    private static IEnumerable<AutobahnCase> Opcodes()
    {
        byte[] hello = "Hello"u8.ToArray();
        int[] data = [3, 4, 5, 6, 7];
        int[] control = [0xB, 0xC, 0xD, 0xE, 0xF];
        for (var i = 0; i < 5; i++)
        {
            yield return Fail($"4.1.{i + 1}", [Frame(WebSocketOpcode.Text, hello), WireFrame.Raw(0x80 | data[i], i % 2 == 0 ? [] : hello), Frame(WebSocketOpcode.Ping, [])], ProtocolError, Message(WebSocketOpcode.Text, hello));
            yield return Fail($"4.2.{i + 1}", [Frame(WebSocketOpcode.Text, hello), WireFrame.Raw(0x80 | control[i], i % 2 == 0 ? [] : hello), Frame(WebSocketOpcode.Ping, [])], ProtocolError, Message(WebSocketOpcode.Text, hello));
        }
    }

    /// <summary>Section 5: fragmented messages, control frames between fragments, and every sequencing error.</summary>
    private static IEnumerable<AutobahnCase> Fragmentation()
    {
        byte[] one = "fragment1"u8.ToArray();
        byte[] two = "fragment2"u8.ToArray();
        var whole = Message(WebSocketOpcode.Text, "fragment1fragment2"u8.ToArray());
        yield return Fail("5.1", [Frame(WebSocketOpcode.Ping, one, fin: false), Frame(WebSocketOpcode.Continuation, two)], ProtocolError);
        yield return Fail("5.2", [Frame(WebSocketOpcode.Pong, one, fin: false), Frame(WebSocketOpcode.Continuation, two)], ProtocolError);
        var textInTwo = Concat(Frame(WebSocketOpcode.Text, one, fin: false), Frame(WebSocketOpcode.Continuation, two));
        yield return Echo("5.3", [textInTwo], whole);
        yield return Echo("5.4", [Frame(WebSocketOpcode.Text, one, fin: false), Frame(WebSocketOpcode.Continuation, two)], whole);
        yield return Echo("5.5", Chop(textInTwo, 1), whole);
        byte[] pingPayload = "ping payload"u8.ToArray();
        var withPing = new[] { Frame(WebSocketOpcode.Text, one, fin: false), Frame(WebSocketOpcode.Ping, pingPayload), Frame(WebSocketOpcode.Continuation, two) };
        yield return Echo("5.6", [Concat(withPing)], [.. Pong(pingPayload), .. whole]);
        yield return Echo("5.7", withPing, [.. Pong(pingPayload), .. whole]);
        yield return Echo("5.8", Chop(Concat(withPing), 1), [.. Pong(pingPayload), .. whole]);
        var orphanFinal = new[] { Frame(WebSocketOpcode.Continuation, one), Frame(WebSocketOpcode.Text, one, fin: false), Frame(WebSocketOpcode.Continuation, two) };
        yield return Fail("5.9", [Concat(orphanFinal)], ProtocolError);
        yield return Fail("5.10", orphanFinal, ProtocolError);
        yield return Fail("5.11", Chop(Concat(orphanFinal), 1), ProtocolError);
        var orphan = new[] { Frame(WebSocketOpcode.Continuation, one, fin: false), Frame(WebSocketOpcode.Text, one, fin: false), Frame(WebSocketOpcode.Continuation, two) };
        yield return Fail("5.12", [Concat(orphan)], ProtocolError);
        yield return Fail("5.13", orphan, ProtocolError);
        yield return Fail("5.14", Chop(Concat(orphan), 1), ProtocolError);
        yield return Fail("5.15", [Frame(WebSocketOpcode.Text, one, fin: false), Frame(WebSocketOpcode.Continuation, two), Frame(WebSocketOpcode.Continuation, "fragment3"u8.ToArray(), fin: false), Frame(WebSocketOpcode.Continuation, "fragment4"u8.ToArray())], ProtocolError, whole);
        yield return Fail("5.16", [Frame(WebSocketOpcode.Continuation, one, fin: false), Frame(WebSocketOpcode.Continuation, two), Frame(WebSocketOpcode.Text, one, fin: false), Frame(WebSocketOpcode.Continuation, two)], ProtocolError);
        yield return Fail("5.17", [Frame(WebSocketOpcode.Continuation, one), Frame(WebSocketOpcode.Continuation, two), Frame(WebSocketOpcode.Text, one, fin: false), Frame(WebSocketOpcode.Continuation, two)], ProtocolError);
        yield return Fail("5.18", [Frame(WebSocketOpcode.Text, one, fin: false), Frame(WebSocketOpcode.Text, two)], ProtocolError);
        var five = new[]
        {
            Frame(WebSocketOpcode.Text, one, fin: false), Frame(WebSocketOpcode.Continuation, two, fin: false), Frame(WebSocketOpcode.Ping, "pongme 1!"u8.ToArray()),
            Frame(WebSocketOpcode.Continuation, "fragment3"u8.ToArray(), fin: false), Frame(WebSocketOpcode.Continuation, "fragment4"u8.ToArray(), fin: false),
            Frame(WebSocketOpcode.Ping, "pongme 2!"u8.ToArray()), Frame(WebSocketOpcode.Continuation, "fragment5"u8.ToArray()),
        };
        (WebSocketOpcode, byte[])[] fiveAnswer = [.. Pong("pongme 1!"u8.ToArray()), .. Pong("pongme 2!"u8.ToArray()), .. Message(WebSocketOpcode.Text, "fragment1fragment2fragment3fragment4fragment5"u8.ToArray())];
        yield return Echo("5.19", five, fiveAnswer);
        yield return Echo("5.20", Chop(Concat(five), 1), fiveAnswer);
    }

    /// <summary>Section 6: UTF-8 in text messages, whole, fragmented and per byte; invalid sequences close with 1007.</summary>
    private static IEnumerable<AutobahnCase> Utf8()
    {
        yield return Echo("6.1.1", [Frame(WebSocketOpcode.Text, [])], Message(WebSocketOpcode.Text, []));
        yield return Echo("6.1.2", [Frame(WebSocketOpcode.Text, [], fin: false), Frame(WebSocketOpcode.Continuation, [], fin: false), Frame(WebSocketOpcode.Continuation, [])], Message(WebSocketOpcode.Text, []));
        byte[] middle = "middle frame payload"u8.ToArray();
        yield return Echo("6.1.3", [Frame(WebSocketOpcode.Text, [], fin: false), Frame(WebSocketOpcode.Continuation, middle, fin: false), Frame(WebSocketOpcode.Continuation, [])], Message(WebSocketOpcode.Text, middle));
        byte[] kosme = Convert.FromHexString("cebae1bdb9cf83cebcceb5");
        yield return Echo("6.2.2", [Frame(WebSocketOpcode.Text, kosme[..2], fin: false), Frame(WebSocketOpcode.Continuation, kosme[2..])], Message(WebSocketOpcode.Text, kosme));

        // 6.4: fail fast: the invalid fragment fails the connection although the message is not finished.
        yield return Fail("6.4.1", [Frame(WebSocketOpcode.Text, kosme, fin: false), Frame(WebSocketOpcode.Continuation, Convert.FromHexString("f4908080"), fin: false)], InvalidPayload);
        yield return Fail("6.4.2", [Frame(WebSocketOpcode.Text, Convert.FromHexString("cebae1bdb9cf83cebcceb5f4"), fin: false), Frame(WebSocketOpcode.Continuation, Convert.FromHexString("90"), fin: false)], InvalidPayload);

        // 6.4.3 and 6.4.4, strict: one text frame announcing 21 bytes arrives in chops; the chop that makes it invalid
        // fails the connection while the rest of the frame is never sent (a server that waits for the whole frame
        // never answers, and the client's read times out).
        var invalidInside = Frame(WebSocketOpcode.Text, Convert.FromHexString("cebae1bdb9cf83cebcceb5f4908080656469746564"));
        const int header = 6; // 2 bytes + the 4-byte mask key for a payload under 126 bytes
        yield return Fail("6.4.3", [invalidInside[..(header + 11)], invalidInside[(header + 11)..(header + 15)]], InvalidPayload);
        yield return Fail("6.4.4", [invalidInside[..(header + 11)], invalidInside[(header + 11)..(header + 13)]], InvalidPayload);

        // The same inside a continuation frame (invalid across the fragment boundary, then within the frame), and a
        // prefix that is invalid on its own byte 0x80 arriving one byte per write.
        var continued = Frame(WebSocketOpcode.Continuation, Convert.FromHexString("90808065646974656421"), fin: true);
        yield return Fail("6.4.3.continuation", [Frame(WebSocketOpcode.Text, Convert.FromHexString("cebae1bdb9cf83cebcceb5f4"), fin: false), continued[..(header + 1)]], InvalidPayload);
        var lone = Frame(WebSocketOpcode.Text, Convert.FromHexString("48656c6c6f80776f726c64"));
        yield return Fail("6.4.4.per-byte", [.. Chop(lone[..(header + 6)], 1)], InvalidPayload);

        var n = 0;
        foreach (var hex in ValidUtf8)
        {
            n++;
            var bytes = Convert.FromHexString(hex);
            yield return Echo($"6.valid.{n}.whole.{hex}", [Frame(WebSocketOpcode.Text, bytes)], Message(WebSocketOpcode.Text, bytes));
            yield return Echo($"6.valid.{n}.per-byte.{hex}", PerByteFragments(bytes), Message(WebSocketOpcode.Text, bytes));
        }

        n = 0;
        foreach (var hex in InvalidUtf8)
        {
            n++;
            var bytes = Convert.FromHexString(hex);
            yield return Fail($"6.invalid.{n}.whole.{hex}", [Frame(WebSocketOpcode.Text, bytes)], InvalidPayload);
            yield return Fail($"6.invalid.{n}.per-byte.{hex}", PerByteFragments(bytes), InvalidPayload);
        }
    }

    /// <summary>Section 7: the close handshake, close payload rules and close codes.</summary>
    private static IEnumerable<AutobahnCase> Close()
    {
        byte[] hello = "Hello"u8.ToArray();
        yield return Closing("7.1.1", [Frame(WebSocketOpcode.Text, hello), WireFrame.Close(Normal)], Normal, Message(WebSocketOpcode.Text, hello));
        yield return Closing("7.1.2", [WireFrame.Close(Normal), WireFrame.Close(Normal)], Normal);
        yield return Closing("7.1.3", [WireFrame.Close(Normal), Frame(WebSocketOpcode.Ping, hello)], Normal);
        yield return Closing("7.1.4", [WireFrame.Close(Normal), Frame(WebSocketOpcode.Text, hello)], Normal);
        yield return Closing("7.1.5", [Frame(WebSocketOpcode.Text, "fragment1"u8.ToArray(), fin: false), WireFrame.Close(Normal), Frame(WebSocketOpcode.Continuation, "fragment2"u8.ToArray())], Normal);
        var large = Encoding.ASCII.GetBytes(new string('*', 65536));
        yield return Closing("7.1.6", [Frame(WebSocketOpcode.Text, large), WireFrame.Close(Normal), Frame(WebSocketOpcode.Ping, hello)], Normal, Message(WebSocketOpcode.Text, large));
        yield return Closing("7.3.1", [Frame(WebSocketOpcode.Close, [])], Normal);
        yield return Closing("7.3.2", [Frame(WebSocketOpcode.Close, [0x03])], ProtocolError);
        yield return Closing("7.3.3", [WireFrame.Close(Normal)], Normal);
        yield return Closing("7.3.4", [WireFrame.Close(Normal, "Hello World!")], Normal);
        yield return Closing("7.3.5", [WireFrame.Close(Normal, new string('*', 123))], Normal);
        yield return Closing("7.3.6", [WireFrame.Close(Normal, new string('*', 124))], ProtocolError);
        yield return Closing("7.5.1", [Frame(WebSocketOpcode.Close, Convert.FromHexString("03e8cebae1bdb9cf83cebcceb5eda080656469746564"))], InvalidPayload);
        int[] valid = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999];
        for (var i = 0; i < valid.Length; i++)
        {
            yield return Closing($"7.7.{i + 1}.{valid[i]}", [WireFrame.Close(valid[i])], valid[i]);
        }

        int[] invalid = [0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999, 5000, 65535];
        for (var i = 0; i < invalid.Length; i++)
        {
            yield return Closing($"7.9.{i + 1}.{invalid[i]}", [WireFrame.Close(invalid[i])], ProtocolError);
        }
    }

    private static AutobahnCase Echo(string id, byte[][] writes, params (WebSocketOpcode, byte[])[] expected) =>
        new(id, writes, expected, Normal, AppendClose: true);

    private static AutobahnCase Fail(string id, byte[][] writes, int code, params (WebSocketOpcode, byte[])[] before) =>
        new(id, writes, before, code, AppendClose: false);

    private static AutobahnCase Closing(string id, byte[][] writes, int code, params (WebSocketOpcode, byte[])[] before) =>
        new(id, writes, before, code, AppendClose: false);

    private static (WebSocketOpcode, byte[])[] Message(WebSocketOpcode opcode, byte[] payload) => [(opcode, payload)];

    private static (WebSocketOpcode, byte[])[] Pong(byte[] payload) => [(WebSocketOpcode.Pong, payload)];

    private static byte[] Frame(WebSocketOpcode opcode, byte[] payload, bool fin = true) => WireFrame.Masked(opcode, payload, fin);

    private static byte[] Concat(params byte[][] frames) => frames.SelectMany(f => f).ToArray();

    private static byte[][] Chop(byte[] bytes, int size) => bytes.Chunk(size).ToArray();

    /// <summary>A text message with one byte per frame, all in one write.</summary>
    private static byte[][] PerByteFragments(byte[] bytes)
    {
        if (bytes.Length == 1)
        {
            return [Frame(WebSocketOpcode.Text, bytes)];
        }

        var frames = new List<byte[]> { Frame(WebSocketOpcode.Text, bytes[..1], fin: false) };
        for (var i = 1; i < bytes.Length; i++)
        {
            frames.Add(Frame(WebSocketOpcode.Continuation, bytes[i..(i + 1)], fin: i == bytes.Length - 1));
        }

        return [Concat([.. frames])];
    }
}
