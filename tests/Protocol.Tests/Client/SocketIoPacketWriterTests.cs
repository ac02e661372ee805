using System.Text.Json;

namespace Edge.Protocol.Tests.Client;

/// <summary>
/// The socket.io dialect's price: an Engine.IO message holding a socket.io EVENT of the /market-data namespace, whose
/// data is <c>["price", {…}]</c> in the original gateway's field names, read back with System.Text.Json.
/// </summary>
public sealed class SocketIoPacketWriterTests
{
    private static readonly Quote EurUsd = new(1.0834, 1_000_000, 1.0836, 2_500_000, 1700000000123456789, 42);

    [Test]
    public void Writes_a_price_event_in_the_original_gateways_shape()
    {
        var output = new ArrayBufferWriter<byte>();

        SocketIoPacketWriter.WritePrice(output, "EURUSD"u8, "LMAX"u8, "EBS"u8, EurUsd);

        var packet = Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.That(packet, Does.StartWith("42/market-data,["));
        using var data = JsonDocument.Parse(packet["42/market-data,".Length..]);
        var root = data.RootElement;
        Assert.That(root.GetArrayLength(), Is.EqualTo(2));
        Assert.That(root[0].GetString(), Is.EqualTo("price"));
        var price = root[1];
        Assert.That(Names(price), Is.EqualTo(new[] { "symbol", "bestBid", "bestAsk", "midPrice", "spread", "spreadBps", "timestamp", "sequence" }));
        Assert.That(price.GetProperty("symbol").GetString(), Is.EqualTo("EURUSD"));
        AssertLevel(price.GetProperty("bestBid"), 1.0834, 1_000_000, "LMAX");
        AssertLevel(price.GetProperty("bestAsk"), 1.0836, 2_500_000, "EBS");
        Assert.That(price.GetProperty("midPrice").GetDouble(), Is.EqualTo(PriceMath.Mid(1.0834, 1.0836)));
        Assert.That(price.GetProperty("spread").GetDouble(), Is.EqualTo(PriceMath.Spread(1.0834, 1.0836)));
        Assert.That(price.GetProperty("spreadBps").GetDouble(), Is.EqualTo(PriceMath.SpreadBps(1.0834, 1.0836)));
        Assert.That(price.GetProperty("timestamp").GetInt64(), Is.EqualTo(1700000000123));
        Assert.That(price.GetProperty("sequence").GetUInt64(), Is.EqualTo(42));
    }

    [Test]
    public void The_timestamp_is_a_JavaScript_safe_millisecond_count()
    {
        var output = new ArrayBufferWriter<byte>();

        SocketIoPacketWriter.WritePrice(output, "EURUSD"u8, "LMAX"u8, "EBS"u8, new Quote(1.0834, 1_000_000, 1.0836, 2_500_000, long.MaxValue, 42));

        using var data = JsonDocument.Parse(output.WrittenMemory[SocketIoPacketWriter.MarketDataEventPrefix.Length..]);
        var timestamp = data.RootElement[1].GetProperty("timestamp").GetInt64();
        Assert.That(timestamp, Is.EqualTo(long.MaxValue / 1_000_000));
        Assert.That(timestamp, Is.LessThanOrEqualTo(9007199254740991)); // Number.MAX_SAFE_INTEGER
    }

    [Test]
    public void Names_that_need_escaping_read_back_unchanged()
    {
        var output = new ArrayBufferWriter<byte>();

        SocketIoPacketWriter.WritePrice(output, "A\"B\\C/é"u8, "L\u0001X"u8, "価格"u8, EurUsd);

        using var data = JsonDocument.Parse(output.WrittenMemory[SocketIoPacketWriter.MarketDataEventPrefix.Length..]);
        var price = data.RootElement[1];
        Assert.That(price.GetProperty("symbol").GetString(), Is.EqualTo("A\"B\\C/é"));
        Assert.That(price.GetProperty("bestBid").GetProperty("source").GetString(), Is.EqualTo("L\u0001X"));
        Assert.That(price.GetProperty("bestAsk").GetProperty("source").GetString(), Is.EqualTo("価格"));
    }

    [Test]
    public void Writing_a_price_event_allocates_nothing()
    {
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        SocketIoPacketWriter.WritePrice(output, "EURUSD"u8, "LMAX"u8, "EBS"u8, EurUsd);
        var one = output.WrittenCount;
        output.ResetWrittenCount();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            SocketIoPacketWriter.WritePrice(output, "EURUSD"u8, "LMAX"u8, "EBS"u8, EurUsd);
        }

        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
        Assert.That(output.WrittenCount, Is.EqualTo(100 * one));
    }

    private static void AssertLevel(JsonElement level, double price, double size, string source)
    {
        Assert.That(Names(level), Is.EqualTo(new[] { "price", "size", "source" }));
        Assert.That(level.GetProperty("price").GetDouble(), Is.EqualTo(price));
        Assert.That(level.GetProperty("size").GetDouble(), Is.EqualTo(size));
        Assert.That(level.GetProperty("source").GetString(), Is.EqualTo(source));
    }

    private static List<string> Names(JsonElement map)
    {
        var names = new List<string>();
        foreach (var property in map.EnumerateObject())
        {
            names.Add(property.Name);
        }

        return names;
    }
}
