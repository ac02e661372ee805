using System.Text;
using Edge.Ingest.Prices;
using Edge.Ingest.Symbols;
using Edge.Protocol;
using Edge.Protocol.Client;
using Edge.Server.FanOut;

namespace Edge.Server.Tests.Sse;

/// <summary>The frame stage's third encoding: SSE chunks, produced once per update and only while SSE streams are open.</summary>
public sealed class SseFrameStageTests
{
    [Test]
    public void Sse_chunks_are_encoded_only_while_a_stream_is_open()
    {
        var symbols = new NameTable(8);
        var sources = new NameTable(8);
        var frames = new EncodedPriceRing(64);
        var stage = new FrameStage(frames, symbols, sources);
        var slot = new PriceSlot
        {
            Kind = PriceSlotKind.Price,
            SymbolId = symbols.GetOrAdd("EUR/USD"u8),
            BidSourceId = sources.GetOrAdd("LP1"u8),
            AskSourceId = sources.GetOrAdd("LP2"u8),
            Quote = new Quote(1.08, 1_000_000, 1.09, 2_000_000, 1_700_000_000_000_000_000, 77),
        };

        stage.OnEvent(ref slot, 0, endOfBatch: false);
        stage.SseClientAdded();
        stage.OnEvent(ref slot, 1, endOfBatch: false);
        stage.SseClientRemoved();
        stage.OnEvent(ref slot, 2, endOfBatch: false);

        var expected = new byte[PriceFrameEncoder.MaxFrameLength];
        var length = new PriceFrameEncoder().EncodeSseChunk(expected, "EUR/USD"u8, "LP1"u8, "LP2"u8, slot.Quote);
        Assert.That(frames.Frame(ClientEncoding.Sse, 0).Length, Is.Zero);
        Assert.That(frames.Frame(ClientEncoding.Sse, 1).ToArray(), Is.EqualTo(expected.AsSpan(0, length).ToArray()));
        Assert.That(frames.Frame(ClientEncoding.Sse, 2).Length, Is.Zero);
        Assert.That(frames.Frame(ClientEncoding.MessagePack, 1).Length, Is.GreaterThan(0), "MessagePack is always produced");
    }

    [Test]
    public void A_feed_status_is_always_encoded_as_an_sse_status_event()
    {
        var frames = new EncodedPriceRing(64);
        var stage = new FrameStage(frames, new NameTable(8), new NameTable(8));
        var slot = new PriceSlot { Kind = PriceSlotKind.FeedDown };

        stage.OnEvent(ref slot, 5, endOfBatch: false);

        var chunk = Encoding.UTF8.GetString(frames.Frame(ClientEncoding.Sse, 5));
        Assert.That(chunk, Does.Contain("\r\nevent: status\ndata: {\"type\":\"status\",\"feed\":\"down\""));
        Assert.That(chunk, Does.EndWith("\n\n\r\n"));
    }
}
