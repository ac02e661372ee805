using Edge.Ingest.Prices;
using Edge.Ingest.Symbols;
using Edge.Protocol;
using Edge.Protocol.Client;
using Edge.Protocol.SocketIo;
using Edge.Server.FanOut;

namespace Edge.Server.Tests.FanOut;

/// <summary>
/// The frame ring stores frames at their real size: typical ones in small cells, names at their limits in a slot's
/// overflow. Every encoding must read back exactly what the encoder wrote, across ring laps that mix the two.
/// </summary>
public sealed class FrameRingTests
{
    // Names at their limits, every byte one that JSON escapes: the longest text frames there are.
    private static readonly byte[] LongSymbol = "\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\"u8.ToArray();
    private static readonly byte[] LongSource = "\\\"\\\"\\\"\\\"\\\"\\\"\\\"\\\""u8.ToArray();

    [Test]
    public void Frames_of_every_size_read_back_exactly_across_laps()
    {
        Assert.That(LongSymbol, Has.Length.EqualTo(SymbolRules.MaxSymbolBytes));
        Assert.That(LongSource, Has.Length.EqualTo(SymbolRules.MaxSourceBytes));
        var symbols = new NameTable(8);
        var sources = new NameTable(8);
        var frames = new EncodedPriceRing(16);
        var stage = new FrameStage(frames, symbols, sources);
        stage.JsonClientAdded();
        stage.SseClientAdded();
        stage.SocketIoClientAdded();
        var shortSlot = Slot(symbols, sources, "EUR/USD"u8, "LP1"u8, 1);
        var longSlot = Slot(symbols, sources, LongSymbol, LongSource, 2);

        for (long sequence = 0; sequence < 64; sequence++)
        {
            // Long and short names alternate in runs of 3, so each slot index holds both kinds on different laps.
            var useLong = sequence / 3 % 2 == 1;
            var slot = useLong ? longSlot : shortSlot;
            // Doubles with the longest shortest-round-trip forms, for the long names: the text frames outgrow their cells.
            slot.Quote = useLong
                ? new Quote(-1.2345678901234567E+300 - sequence, 9.876543210987654E+299, -1.2345678901234565E+300, 9.876543210987652E+299, 1_700_000_000_000_000_000 + sequence, (ulong)sequence + 1)
                : new Quote(1.08 + sequence, 1_000_000, 1.09 + sequence, 2_000_000, 1_700_000_000_000_000_000 + sequence, (ulong)sequence + 1);
            stage.OnEvent(ref slot, sequence, endOfBatch: false);

            var symbol = useLong ? LongSymbol : "EUR/USD"u8.ToArray();
            var source = useLong ? LongSource : "LP1"u8.ToArray();
            foreach (var encoding in (ClientEncoding[])[ClientEncoding.MessagePack, ClientEncoding.Json, ClientEncoding.Sse, ClientEncoding.SocketIo])
            {
                var expected = Expected(encoding, symbol, source, slot.Quote);
                Assert.That(frames.Frame(encoding, sequence).ToArray(), Is.EqualTo(expected), $"{encoding} at {sequence}");
            }
        }
    }

    [Test]
    public void Frames_up_to_the_encoder_limit_read_back_exactly_in_cells_and_overflow()
    {
        // The encoders' worst case today stays within the cells; the overflow keeps the ring correct for any frame up to
        // the limit the encoders promise, so it is checked with frames of every boundary length.
        var frames = new EncodedPriceRing(4);
        int[] lengths = [1, 255, 256, 257, 511, 512, 513, PriceFrameEncoder.MaxFrameLength, 200, 600, 3];
        for (long sequence = 0; sequence < lengths.Length * 3; sequence++)
        {
            var length = lengths[sequence % lengths.Length];
            foreach (var encoding in (ClientEncoding[])[ClientEncoding.MessagePack, ClientEncoding.Json, ClientEncoding.Sse, ClientEncoding.SocketIo])
            {
                var frame = new byte[length];
                Random.Shared.NextBytes(frame);
                frames.Store(encoding, sequence, frame);
                Assert.That(frames.Frame(encoding, sequence).ToArray(), Is.EqualTo(frame), $"{encoding}, {length} bytes at {sequence}");
            }
        }

        long last = lengths.Length * 3 - 1;
        frames.Clear(ClientEncoding.Json, last);
        Assert.That(frames.Frame(ClientEncoding.Json, last).Length, Is.Zero, "a cleared slot reads empty, not its last frame");
        Assert.That(frames.Frame(ClientEncoding.MessagePack, last).Length, Is.EqualTo(lengths[last % lengths.Length]));
    }

    private static PriceSlot Slot(NameTable symbols, NameTable sources, ReadOnlySpan<byte> symbol, ReadOnlySpan<byte> source, long sequence) => new()
    {
        Kind = PriceSlotKind.Price,
        SymbolId = symbols.GetOrAdd(symbol),
        BidSourceId = sources.GetOrAdd(source),
        AskSourceId = sources.GetOrAdd(source),
        Quote = new Quote(1.08, 1_000_000, 1.09, 2_000_000, 1_700_000_000_000_000_000, (ulong)sequence),
    };

    private static byte[] Expected(ClientEncoding encoding, byte[] symbol, byte[] source, in Quote quote)
    {
        var buffer = new byte[PriceFrameEncoder.MaxFrameLength];
        var encoder = new PriceFrameEncoder();
        var length = encoding == ClientEncoding.SocketIo
            ? SocketIoPriceEncoder.EncodeFrame(buffer, symbol, source, source, quote)
            : encoder.EncodeFrame(encoding, buffer, symbol, source, source, quote);
        return buffer.AsSpan(0, length).ToArray();
    }
}
