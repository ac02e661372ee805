using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Edge.Protocol.Tests.Client;

/// <summary>
/// Every server and client message, in both encodings, over edge values (integer widths, string lengths that change
/// the MessagePack header, escapes, non-ASCII, empty and long arrays), compared byte for byte with
/// MessageWriterGolden.txt: bytes captured from the writers before they were folded onto one shape per message
/// (issue #18), so the fold is shown to change nothing on the wire.
/// </summary>
public sealed class MessageWriterGoldenTests
{
    private const string GoldenFile = "MessageWriterGolden.txt";

    private static readonly ConnectionLimits Limits = new(500, 100, 16384, 20);
    private static readonly ConnectionLimits OddLimits = new(0, -1, int.MaxValue, int.MinValue);
    private static readonly string Tricky = "bad \"symbol\" \\ é\n\t<&>\u0001\u001f\u007f\u2028 ünïcødé 价格 😀";
    private static readonly long[] Integers =
        [0, 1, -1, -32, -33, 127, 128, 255, 256, -128, -129, 32767, 32768, -32768, -32769, 65535, 65536,
         int.MaxValue, (long)int.MaxValue + 1, int.MinValue, (long)int.MinValue - 1, uint.MaxValue, (long)uint.MaxValue + 1,
         long.MaxValue, long.MinValue, 1700000000123456789];

    private static readonly string[] Texts =
        ["", "x", new string('a', 31), new string('b', 32), new string('c', 255), new string('d', 256), new string('e', 65535),
         new string('f', 65536), Tricky];

    private static readonly BestPrice EurUsd = BestPrice.Create(
        "EURUSD", new PriceLevel(1.0834, 1_000_000, "LMAX"), new PriceLevel(1.0836, 2_500_000, "EBS"), 1700000000123456789, 42);

    private static readonly BestPrice BtcUsd = BestPrice.Create(
        "BTC-USD", new PriceLevel(64000.5, 0.25, "CB"), new PriceLevel(64001, 1.5, "KRKN"), 1700000000223456789, 7);

    private static readonly BestPrice Extremes = new(
        new string('S', 32), new PriceLevel(-0.0, double.Epsilon, "q\"\\é"), new PriceLevel(1e300, 123456789012345.0, new string('s', 16)),
        -1.5, double.MaxValue, double.MinValue, long.MinValue, ulong.MaxValue);

    private static readonly BestPrice Negative = new(
        "X", new PriceLevel(-3.25, 0, "A"), new PriceLevel(0.1 + 0.2, 1e-7, "B"), 0.5, 1e21, 1e-300, -5, 0);

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (var (name, write) in Writes())
        {
            yield return new TestCaseData(name, write).SetArgDisplayNames(name);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Writes_the_same_bytes_as_before_the_fold(string name, Action<IBufferWriter<byte>> write)
    {
        var golden = Golden();
        var output = new ArrayBufferWriter<byte>();

        write(output);

        Assert.That(golden.ContainsKey(name), Is.True, $"no golden bytes for {name}");
        Assert.That(Fingerprint(output.WrittenSpan), Is.EqualTo(golden[name]));
    }

    [Test]
    public void The_golden_file_has_a_case_for_every_line()
    {
        var names = new HashSet<string>();
        foreach (var (name, _) in Writes())
        {
            names.Add(name);
        }

        Assert.That(Golden().Keys, Is.EquivalentTo(names));
    }

    /// <summary>Rewrites the golden file from the writers as they are now (run once, by hand, before changing them).</summary>
    [Test]
    [Explicit("regenerates the golden bytes; run only on the implementation they are to be captured from")]
    public void Regenerate() => Regenerate(SourcePath());

    private static void Regenerate(string path)
    {
        var lines = new StringBuilder();
        foreach (var (name, write) in Writes())
        {
            var output = new ArrayBufferWriter<byte>();
            write(output);
            lines.Append(name).Append(' ').Append(Fingerprint(output.WrittenSpan)).Append('\n');
        }

        File.WriteAllText(path, lines.ToString());
    }

    /// <summary>The bytes in hex, or for a long message (64 KiB strings) their SHA-256, to keep the file small.</summary>
    private static string Fingerprint(ReadOnlySpan<byte> bytes) =>
        bytes.Length <= 2048 ? Hex.Text(bytes) : "sha256:" + Hex.Text(SHA256.HashData(bytes));

    private static Dictionary<string, string> Golden()
    {
        var golden = new Dictionary<string, string>();
        foreach (var line in File.ReadAllLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "Client", GoldenFile)))
        {
            var space = line.LastIndexOf(' ');
            golden.Add(line[..space], line[(space + 1)..]);
        }

        return golden;
    }

    private static string SourcePath([CallerFilePath] string self = "") => Path.Combine(Path.GetDirectoryName(self)!, GoldenFile);

    private static IEnumerable<(string Name, Action<IBufferWriter<byte>> Write)> Writes()
    {
        foreach (var encoding in new[] { ClientEncoding.MessagePack, ClientEncoding.Json })
        {
            foreach (var (name, write) in Messages())
            {
                yield return ($"{encoding}/{name}", o => write(o, encoding));
            }
        }
    }

    private static IEnumerable<(string Name, Action<IBufferWriter<byte>, ClientEncoding> Write)> Messages()
    {
        yield return ("connected", (o, e) => ServerMessageWriter.WriteConnected(o, e, "c-7f3a", 1700000000000000000, 15000, Limits));
        yield return ("connected odd", (o, e) => ServerMessageWriter.WriteConnected(o, e, Tricky, long.MinValue, -1, OddLimits));
        for (var i = 0; i < Texts.Length; i++)
        {
            var text = Texts[i];
            yield return ($"connected text {i}", (o, e) => ServerMessageWriter.WriteConnected(o, e, text, 0, 0, Limits));
            yield return ($"error text {i}", (o, e) => ServerMessageWriter.WriteError(o, e, 1, ErrorCode.InvalidMessage, text));
            yield return ($"status up text {i}", (o, e) => ServerMessageWriter.WriteStatus(o, e, FeedState.Up, text));
            yield return ($"status down text {i}", (o, e) => ServerMessageWriter.WriteStatus(o, e, FeedState.Down, text));
            yield return ($"notice text {i}", (o, e) => ServerMessageWriter.WriteNotice(o, e, text, 1700000020000000000));
            if (text.Length > 0)
            {
                yield return ($"auth text {i}", (o, e) => ClientMessageWriter.WriteAuth(o, e, text));
            }
        }

        foreach (var n in Integers)
        {
            var s = n.ToString(CultureInfo.InvariantCulture);
            yield return ($"heartbeat {s}", (o, e) => ServerMessageWriter.WriteHeartbeat(o, e, n));
            yield return ($"pong {s}", (o, e) => ServerMessageWriter.WritePong(o, e, n, -n));
            yield return ($"error id {s}", (o, e) => ServerMessageWriter.WriteError(o, e, n, ErrorCode.RateLimited, "too many requests"));
            yield return ($"notice time {s}", (o, e) => ServerMessageWriter.WriteNotice(o, e, "maintenance", n));
            yield return ($"ack id {s}", (o, e) => ServerMessageWriter.WriteAck(o, e, n, AckKind.Subscribe, ["EURUSD"], []));
            yield return ($"connected time {s}", (o, e) => ServerMessageWriter.WriteConnected(o, e, "c", n, (int)n, new((int)n, (int)(n >> 8), (int)(n >> 16), (int)(n >> 32))));
            yield return ($"ping {s}", (o, e) => ClientMessageWriter.WritePing(o, e, n));
            yield return ($"subscribe id {s}", (o, e) => ClientMessageWriter.WriteSubscribe(o, e, n, ["EURUSD"], (int)n));
            yield return ($"unsubscribe id {s}", (o, e) => ClientMessageWriter.WriteUnsubscribe(o, e, n, ["EURUSD"]));
        }

        foreach (var code in Enum.GetValues<ErrorCode>())
        {
            yield return ($"error code {code}", (o, e) => ServerMessageWriter.WriteError(o, e, null, code, "m"));
            yield return ($"ack error code {code}", (o, e) => ServerMessageWriter.WriteAck(
                o, e, 3, AckKind.Unsubscribe, [], [new SymbolError("XAUEUR", code, "not carried by this feed")]));
        }

        foreach (var count in new[] { 0, 1, 15, 16, 17, 70 })
        {
            var symbols = new string[count];
            var errors = new SymbolError[count];
            var prices = new BestPrice[count];
            for (var i = 0; i < count; i++)
            {
                symbols[i] = i % 7 == 3 ? Tricky : $"SYM{i}";
                errors[i] = new SymbolError(symbols[i], (ErrorCode)(1 + (i % 10)), i % 2 == 0 ? Tricky : "no");
                prices[i] = (i % 4) switch { 0 => EurUsd, 1 => BtcUsd, 2 => Extremes, _ => Negative };
            }

            yield return ($"ack subscribe {count}", (o, e) => ServerMessageWriter.WriteAck(o, e, 1, AckKind.Subscribe, symbols, errors));
            yield return ($"ack unsubscribe {count}", (o, e) => ServerMessageWriter.WriteAck(o, e, 2, AckKind.Unsubscribe, symbols, []));
            yield return ($"ack errors only {count}", (o, e) => ServerMessageWriter.WriteAck(o, e, 2, AckKind.Subscribe, [], errors));
            yield return ($"snapshot {count}", (o, e) => ServerMessageWriter.WriteSnapshot(o, e, prices));
            yield return ($"subscribe {count}", (o, e) => ClientMessageWriter.WriteSubscribe(o, e, 9, symbols));
            yield return ($"subscribe max rate {count}", (o, e) => ClientMessageWriter.WriteSubscribe(o, e, 9, symbols, 10));
            yield return ($"unsubscribe {count}", (o, e) => ClientMessageWriter.WriteUnsubscribe(o, e, 9, symbols));
        }

        yield return ("price eurusd", (o, e) => ServerMessageWriter.WritePrice(o, e, EurUsd));
        yield return ("price btcusd", (o, e) => ServerMessageWriter.WritePrice(o, e, BtcUsd));
        yield return ("price extremes", (o, e) => ServerMessageWriter.WritePrice(o, e, Extremes));
        yield return ("price negative", (o, e) => ServerMessageWriter.WritePrice(o, e, Negative));
    }
}
