using System.Globalization;
using Edge.Protocol.Sse;
using Edge.Protocol.Tests.Client;

namespace Edge.Protocol.Tests.Sse;

public sealed class SseChunkTests
{
    private static readonly Quote EurUsd = new(1.0834, 1_000_000, 1.0836, 2_500_000, 1700000000123456789, 42);

    [Test]
    public void A_price_chunk_is_the_size_line_the_event_with_the_sequence_as_id_and_the_documented_json()
    {
        var encoder = new PriceFrameEncoder();
        var buffer = new byte[PriceFrameEncoder.MaxFrameLength];

        var written = encoder.EncodeSseChunk(buffer, "EURUSD"u8, "LMAX"u8, "EBS"u8, EurUsd);

        var body = "event: price\nid: 42\ndata: " + ClientGoldenVectors.EurUsdPriceJson + "\n\n";
        var expected = Encoding.UTF8.GetByteCount(body).ToString("x", CultureInfo.InvariantCulture) + "\r\n" + body + "\r\n";
        Assert.That(Encoding.UTF8.GetString(buffer, 0, written), Is.EqualTo(expected));
    }

    [Test]
    public void EncodeFrame_with_the_sse_encoding_gives_the_same_chunk()
    {
        var encoder = new PriceFrameEncoder();
        var direct = new byte[PriceFrameEncoder.MaxFrameLength];
        var dispatched = new byte[PriceFrameEncoder.MaxFrameLength];

        var a = encoder.EncodeSseChunk(direct, "BTC-USD"u8, "CB"u8, "KRKN"u8, EurUsd);
        var b = encoder.EncodeFrame(ClientEncoding.Sse, dispatched, "BTC-USD"u8, "CB"u8, "KRKN"u8, EurUsd);

        Assert.That(dispatched.AsSpan(0, b).ToArray(), Is.EqualTo(direct.AsSpan(0, a).ToArray()));
    }

    [Test]
    public void Random_prices_give_well_formed_chunks_whose_data_is_the_json_payload()
    {
        var encoder = new PriceFrameEncoder();
        var chunk = new byte[PriceFrameEncoder.MaxFrameLength];
        var json = new byte[PriceFrameEncoder.MaxFrameLength];
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var symbol = Encoding.UTF8.GetBytes(Name(random, 1 + random.Next(32)));
            var bid = Encoding.UTF8.GetBytes(Name(random, 1 + random.Next(16)));
            var ask = Encoding.UTF8.GetBytes(Name(random, 1 + random.Next(16)));
            var sequence = i % 50 == 0 ? ulong.MaxValue : (ulong)random.NextInt64();
            var quote = new Quote(random.NextDouble() * 1e5, random.NextDouble() * 1e7, random.NextDouble() * 1e5, random.NextDouble(), random.NextInt64(), sequence);

            var length = encoder.EncodeSseChunk(chunk, symbol, bid, ask, quote);
            var jsonLength = encoder.EncodeJsonPayload(json, symbol, bid, ask, quote);

            var text = Encoding.UTF8.GetString(chunk, 0, length);
            var sizeEnd = text.IndexOf("\r\n", StringComparison.Ordinal);
            var size = int.Parse(text[..sizeEnd], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            Assert.That(Encoding.UTF8.GetByteCount(text[(sizeEnd + 2)..^2]), Is.EqualTo(size), "the size line counts the body");
            Assert.That(text, Does.EndWith("\n\n\r\n"));
            var expectedBody = "event: price\nid: " + sequence.ToString(CultureInfo.InvariantCulture) + "\ndata: " + Encoding.UTF8.GetString(json, 0, jsonLength) + "\n\n";
            Assert.That(text[(sizeEnd + 2)..^2], Is.EqualTo(expectedBody));
        }
    }

    [TestCase(1)]
    [TestCase(15)]
    [TestCase(16)]
    [TestCase(255)]
    [TestCase(256)]
    [TestCase(SseChunk.MaxInPlaceBodyLength)]
    public void CompleteInPlace_moves_short_bodies_down_to_their_size_line(int bodyLength)
    {
        var buffer = new byte[SseChunk.BodyRoom + bodyLength + 2];
        for (var i = 0; i < bodyLength; i++)
        {
            buffer[SseChunk.BodyRoom + i] = (byte)('a' + (i % 26));
        }

        var body = Encoding.ASCII.GetString(buffer, SseChunk.BodyRoom, bodyLength);
        var length = SseChunk.CompleteInPlace(buffer, bodyLength);

        var expected = bodyLength.ToString("x", CultureInfo.InvariantCulture) + "\r\n" + body + "\r\n";
        Assert.That(Encoding.ASCII.GetString(buffer, 0, length), Is.EqualTo(expected));
        Assert.That(length, Is.EqualTo(SseChunk.GetChunkLength(bodyLength)));
    }

    [Test]
    public void An_event_without_id_and_its_length()
    {
        var data = """{"type":"status","feed":"up","reason":"upstream publisher connected"}"""u8;

        var chunk = SseChunk.BuildEvent("status"u8, data);

        var body = "event: status\ndata: " + Encoding.UTF8.GetString(data) + "\n\n";
        Assert.That(Encoding.UTF8.GetString(chunk), Is.EqualTo(body.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n" + body + "\r\n"));
        Assert.That(SseChunk.GetEventChunkLength(6, data.Length), Is.EqualTo(chunk.Length));
    }

    [Test]
    public void Retry_heartbeat_and_terminator_are_whole_chunks()
    {
        var buffer = new byte[32];
        var length = SseChunk.WriteRetry(buffer, 3000);

        Assert.That(Encoding.ASCII.GetString(buffer, 0, length), Is.EqualTo("d\r\nretry: 3000\n\n\r\n"));
        Assert.That(Encoding.ASCII.GetString(SseChunk.Heartbeat), Is.EqualTo("6\r\n: hb\n\n\r\n"));
        Assert.That(Encoding.ASCII.GetString(SseChunk.Terminator), Is.EqualTo("0\r\n\r\n"));
    }

    [Test]
    public void The_documented_stream_start_is_what_the_writers_give()
    {
        var retry = new byte[32];
        var retryLength = SseChunk.WriteRetry(retry, 3000);
        var snapshot = SseChunk.BuildEvent("snapshot"u8, """{"type":"snapshot","prices":[]}"""u8);

        // docs/protocol.md, "Server-Sent Events": the first chunks of a stream with no price yet.
        Assert.That(Encoding.ASCII.GetString(retry, 0, retryLength), Is.EqualTo("d\r\nretry: 3000\n\n\r\n"));
        Assert.That(Encoding.ASCII.GetString(snapshot), Is.EqualTo("37\r\nevent: snapshot\ndata: {\"type\":\"snapshot\",\"prices\":[]}\n\n\r\n"));
    }

    [TestCase("a\nb")]
    [TestCase("a\rb")]
    public void Data_with_a_line_break_is_refused_instead_of_splitting_the_event(string data)
    {
        var buffer = new byte[128];
        Assert.Throws<ArgumentException>(() => SseChunk.WriteEvent(buffer, "notice"u8, Encoding.UTF8.GetBytes(data)));
    }

    [Test]
    public void A_destination_too_small_is_refused()
    {
        var buffer = new byte[10];
        Assert.Throws<ArgumentException>(() => SseChunk.WriteEvent(buffer, "status"u8, "{}"u8));
        Assert.Throws<ArgumentException>(() => SseChunk.CompleteInPlace(new byte[8], 4));
    }

    private static string Name(Random random, int length)
    {
        // Printable ASCII including the characters JSON escapes ("\), and a non-ASCII one now and then.
        var chars = new char[length];
        for (var i = 0; i < length; i++)
        {
            chars[i] = (char)random.Next(0x20, 0x7F);
        }

        var name = new string(chars);
        return random.Next(10) == 0 && length > 2 ? "é" + name[2..] : name;
    }
}
