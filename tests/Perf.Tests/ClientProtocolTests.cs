using System.Text;
using Edge.Perf.Clients;

namespace Edge.Perf.Tests;

/// <summary>The tool's minimal parsers against the documented bytes (docs/protocol.md) and a chunked SSE stream.</summary>
public sealed class ClientProtocolTests
{
    // docs/protocol.md, "price — EURUSD", MessagePack, 194 bytes.
    private const string EurUsdPrice =
        "89a474797065a57072696365a673796d626f6ca6455552555344a362696483a5707269636" +
        "5cb3ff1559b3d07c84ba473697a65cb412e848000000000a6736f75726365a44c4d4158a3" +
        "61736b83a5707269636" + "5cb3ff1566cf41f212da473697a65cb414312d000000000a6" +
        "736f75726365a3454253a36d6964cb3ff15604189374bca6737072656164cb3f2a36e2eb1c" +
        "4000a9737072656164427073cb3ffd88aed73e3e59a974696d657374616d70cf17979cfe3d" +
        "85cd15a873657175656e63652a";

    [Test]
    public void Reads_timestamp_and_sequence_from_the_documented_price_message()
    {
        var payload = Convert.FromHexString(EurUsdPrice);
        Assert.That(payload, Has.Length.EqualTo(194));

        var kind = WebSocketClientProtocol.Read(payload, out var price);

        Assert.That(kind, Is.EqualTo(ServerMessageKind.Price));
        Assert.That(price.Timestamp, Is.EqualTo(1700000000123456789));
        Assert.That(price.Sequence, Is.EqualTo(42UL));
        Assert.That(price.Symbol, Is.EqualTo(-1), "EURUSD is not one of the tool's S<n> symbols");
    }

    [Test]
    public void Reads_a_socket_io_price_event_and_classifies_the_other_packets()
    {
        var price = "42/market-data,[\"price\",{\"symbol\":\"S17\",\"bestBid\":{\"price\":1.5,\"size\":1,\"source\":\"A\"},"
            + "\"bestAsk\":{\"price\":1.6,\"size\":1,\"source\":\"B\"},\"midPrice\":1.55,\"spread\":0.1,\"spreadBps\":645.16,"
            + "\"timestamp\":1700000000123,\"sequence\":42}]";

        Assert.That(SocketIoClientProtocol.Read(Encoding.UTF8.GetBytes(price), out var fields), Is.EqualTo(ServerMessageKind.Price));
        Assert.That(fields.Symbol, Is.EqualTo(17));
        Assert.That(fields.Timestamp, Is.EqualTo(1700000000123_000_000L), "milliseconds read as nanoseconds");
        Assert.That(fields.Sequence, Is.EqualTo(42UL));
        Assert.That(SocketIoClientProtocol.Read("43/market-data,1[{\"subscribed\":[\"S1\"],\"errors\":[]}]"u8, out _), Is.EqualTo(ServerMessageKind.Ack));
        Assert.That(SocketIoClientProtocol.Read("43/market-data,1[{\"subscribed\":[],\"errors\":[{}]}]"u8, out _), Is.EqualTo(ServerMessageKind.AckWithErrors));
        Assert.That(SocketIoClientProtocol.Read("42/market-data,[\"snapshot\",{\"prices\":[]}]"u8, out _), Is.EqualTo(ServerMessageKind.Snapshot));
        Assert.That(SocketIoClientProtocol.Read("44/market-data,{\"message\":\"x\"}"u8, out _), Is.EqualTo(ServerMessageKind.Error));
        Assert.That(SocketIoClientProtocol.IsPing("2"u8), Is.True);
    }

    [Test]
    public void Reads_the_tools_symbol_names_and_refuses_others()
    {
        Assert.That(WebSocketClientProtocol.SymbolIndex("S0"u8), Is.Zero);
        Assert.That(WebSocketClientProtocol.SymbolIndex("S917"u8), Is.EqualTo(917));
        Assert.That(WebSocketClientProtocol.SymbolIndex("S"u8), Is.EqualTo(-1));
        Assert.That(WebSocketClientProtocol.SymbolIndex("S9x"u8), Is.EqualTo(-1));
    }

    [Test]
    public void Sse_events_are_read_across_chunks_and_reads_split_anywhere()
    {
        var events = new StringBuilder();
        for (var i = 1; i <= 3; i++)
        {
            events.Append("event: price\nid: ").Append(i).Append("\ndata: {\"type\":\"price\",\"symbol\":\"S7\",\"bid\":{\"price\":1.5,\"size\":1,\"source\":\"A\"},\"timestamp\":").Append(1700000000000000000L + i).Append(",\"sequence\":").Append(i).Append("}\n\n");
        }

        events.Append(": keep-alive\n\n");
        var body = Encoding.ASCII.GetBytes(events.ToString());
        // Chunk the body in uneven pieces, then deliver the chunked bytes in 7-byte reads.
        var chunked = new List<byte>();
        for (var at = 0; at < body.Length;)
        {
            var size = Math.Min(body.Length - at, 37 + (at % 11));
            chunked.AddRange(Encoding.ASCII.GetBytes($"{size:x}\r\n"));
            chunked.AddRange(body.AsSpan(at, size).ToArray());
            chunked.AddRange("\r\n"u8.ToArray());
            at += size;
        }

        chunked.AddRange("0\r\n\r\n"u8.ToArray());
        var state = new SseStreamState { Chunked = true };
        var raw = chunked.ToArray();
        var carried = Array.Empty<byte>();
        var prices = new List<PriceFields>();
        for (var at = 0; at < raw.Length; at += 7)
        {
            var read = carried.Concat(raw.Skip(at).Take(7)).ToArray();
            var consumed = SseClientProtocol.Dechunk(state, read);
            carried = read[consumed..];
            var offset = 0;
            while (SseClientProtocol.NextEvent(state, ref offset, out var kind, out var price))
            {
                if (kind == ServerMessageKind.Price)
                {
                    prices.Add(price);
                }
            }

            SseClientProtocol.Compact(state, offset);
        }

        Assert.That(prices.Select(p => p.Sequence), Is.EqualTo(new ulong[] { 1, 2, 3 }));
        Assert.That(prices.Select(p => p.Timestamp), Is.EqualTo(new[] { 1700000000000000001L, 1700000000000000002L, 1700000000000000003L }));
        Assert.That(prices.All(p => p.Symbol == 7));
    }
}
