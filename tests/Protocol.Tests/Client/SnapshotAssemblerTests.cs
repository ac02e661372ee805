namespace Edge.Protocol.Tests.Client;

public sealed class SnapshotFrameTests
{
    private static readonly Quote EurUsd = new(1.0834, 1_000_000, 1.0836, 2_500_000, 1700000000123456789, 42);
    private static readonly Quote BtcUsd = new(64000.5, 0.25, 64001, 1.5, 1700000000223456789, 7);

    [Test]
    public void MessagePack_snapshot_from_cached_frames_matches_the_documented_bytes()
    {
        var payloads = CachedPayloads(ClientEncoding.MessagePack);
        var buffer = new byte[1024];

        var written = SnapshotAssembler.Encode(buffer, ClientEncoding.MessagePack, payloads);

        // FIN + binary, 16-bit length 411 (0x019b).
        Assert.That(Hex.Spaced(buffer.AsSpan(0, written)), Is.EqualTo(Hex.Spaced(Hex.Bytes("82 7e 01 9b " + ClientGoldenVectors.SnapshotMessagePack))));
    }

    [Test]
    public void Json_snapshot_from_cached_frames_matches_the_documented_text()
    {
        var payloads = CachedPayloads(ClientEncoding.Json);
        var buffer = new byte[1024];

        var written = SnapshotAssembler.Encode(buffer, ClientEncoding.Json, payloads);

        // FIN + text, 16-bit length 534 (0x0216).
        Assert.That(Hex.Spaced(buffer.AsSpan(0, 4)), Is.EqualTo("81 7e 02 16"));
        Assert.That(Encoding.UTF8.GetString(buffer, 4, written - 4), Is.EqualTo(ClientGoldenVectors.SnapshotJson));
    }

    [TestCase(ClientEncoding.MessagePack)]
    [TestCase(ClientEncoding.Json)]
    public void An_empty_snapshot_and_a_large_one_are_well_formed(ClientEncoding encoding)
    {
        var buffer = new byte[64];
        var written = SnapshotAssembler.Encode(buffer, encoding, []);
        var expected = encoding == ClientEncoding.Json
            ? "81 1f " + Hex.Spaced("""{"type":"snapshot","prices":[]}"""u8)
            : "82 17 82 a4 74 79 70 65 a8 73 6e 61 70 73 68 6f 74 a6 70 72 69 63 65 73 90";
        Assert.That(Hex.Spaced(buffer.AsSpan(0, written)), Is.EqualTo(expected));

        // 20 prices: the MessagePack array needs the array16 header (dc 00 14).
        var one = CachedPayloads(encoding)[0];
        var many = Enumerable.Repeat(one, 20).ToArray();
        var large = new byte[SnapshotAssembler.GetFrameLength(encoding, 20, 20 * one.Length)];
        written = SnapshotAssembler.Encode(large, encoding, many);
        Assert.That(written, Is.EqualTo(large.Length));
        var output = new ArrayBufferWriter<byte>();
        var price = BestPrice.Create("EURUSD", new PriceLevel(1.0834, 1_000_000, "LMAX"), new PriceLevel(1.0836, 2_500_000, "EBS"), 1700000000123456789, 42);
        ServerMessageWriter.WriteSnapshot(output, encoding, Enumerable.Repeat(price, 20).ToArray());
        Assert.That(large.AsSpan(4).ToArray(), Is.EqualTo(output.WrittenSpan.ToArray()));
    }

    private static ReadOnlyMemory<byte>[] CachedPayloads(ClientEncoding encoding)
    {
        var encoder = new PriceFrameEncoder();
        var first = new byte[PriceFrameEncoder.MaxFrameLength];
        var second = new byte[PriceFrameEncoder.MaxFrameLength];
        var n1 = encoder.EncodeFrame(encoding, first, "EURUSD"u8, "LMAX"u8, "EBS"u8, EurUsd);
        var n2 = encoder.EncodeFrame(encoding, second, "BTC-USD"u8, "CB"u8, "KRKN"u8, BtcUsd);
        return
        [
            SnapshotAssembler.PayloadOf(first.AsSpan(0, n1)).ToArray(),
            SnapshotAssembler.PayloadOf(second.AsSpan(0, n2)).ToArray(),
        ];
    }
}
