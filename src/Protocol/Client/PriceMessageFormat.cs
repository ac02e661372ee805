using System.Text.Json;
using MessagePack;

namespace Edge.Protocol.Client;

/// <summary>
/// The <c>price</c> map, written the same way by the hot frame encoder and the non-hot writers.
/// Keys in a fixed order (docs/protocol.md); every price, size and derived value is a float64
/// (MessagePack 0xcb, even when integral) so the client gets the published bits.
/// </summary>
internal static class PriceMessageFormat
{
    // Constant runs of the MessagePack map, pre-encoded (fixmap/fixstr headers included).
    // {"type":"price","symbol":
    private static ReadOnlySpan<byte> Prefix => [0x89, 0xA4, 0x74, 0x79, 0x70, 0x65, 0xA5, 0x70, 0x72, 0x69, 0x63, 0x65, 0xA6, 0x73, 0x79, 0x6D, 0x62, 0x6F, 0x6C];

    // "bid":{"price":
    private static ReadOnlySpan<byte> BidKey => [0xA3, 0x62, 0x69, 0x64, 0x83, 0xA5, 0x70, 0x72, 0x69, 0x63, 0x65];

    // "ask":{"price":
    private static ReadOnlySpan<byte> AskKey => [0xA3, 0x61, 0x73, 0x6B, 0x83, 0xA5, 0x70, 0x72, 0x69, 0x63, 0x65];

    private static ReadOnlySpan<byte> SizeKey => [0xA4, 0x73, 0x69, 0x7A, 0x65];

    private static ReadOnlySpan<byte> SourceKey => [0xA6, 0x73, 0x6F, 0x75, 0x72, 0x63, 0x65];

    private static ReadOnlySpan<byte> MidKey => [0xA3, 0x6D, 0x69, 0x64];

    private static ReadOnlySpan<byte> SpreadKey => [0xA6, 0x73, 0x70, 0x72, 0x65, 0x61, 0x64];

    private static ReadOnlySpan<byte> SpreadBpsKey => [0xA9, 0x73, 0x70, 0x72, 0x65, 0x61, 0x64, 0x42, 0x70, 0x73];

    private static ReadOnlySpan<byte> TimestampKey => [0xA9, 0x74, 0x69, 0x6D, 0x65, 0x73, 0x74, 0x61, 0x6D, 0x70];

    private static ReadOnlySpan<byte> SequenceKey => [0xA8, 0x73, 0x65, 0x71, 0x75, 0x65, 0x6E, 0x63, 0x65];

    public static void Write(
        ref MessagePackWriter writer,
        ReadOnlySpan<byte> symbol,
        ReadOnlySpan<byte> bidSource,
        ReadOnlySpan<byte> askSource,
        in Quote quote,
        double mid,
        double spread,
        double spreadBps)
    {
        writer.WriteRaw(Prefix);
        writer.WriteString(symbol);
        writer.WriteRaw(BidKey);
        writer.Write(quote.BidPrice);
        writer.WriteRaw(SizeKey);
        writer.Write(quote.BidSize);
        writer.WriteRaw(SourceKey);
        writer.WriteString(bidSource);
        writer.WriteRaw(AskKey);
        writer.Write(quote.AskPrice);
        writer.WriteRaw(SizeKey);
        writer.Write(quote.AskSize);
        writer.WriteRaw(SourceKey);
        writer.WriteString(askSource);
        writer.WriteRaw(MidKey);
        writer.Write(mid);
        writer.WriteRaw(SpreadKey);
        writer.Write(spread);
        writer.WriteRaw(SpreadBpsKey);
        writer.Write(spreadBps);
        writer.WriteRaw(TimestampKey);
        writer.Write(quote.Timestamp);
        writer.WriteRaw(SequenceKey);
        writer.Write(quote.Sequence);
    }

    public static void Write(
        Utf8JsonWriter writer,
        ReadOnlySpan<byte> symbol,
        ReadOnlySpan<byte> bidSource,
        ReadOnlySpan<byte> askSource,
        in Quote quote,
        double mid,
        double spread,
        double spreadBps)
    {
        writer.WriteStartObject();
        writer.WriteString(WireNames.Type, WireNames.Price);
        writer.WriteString(WireNames.Symbol, symbol);
        writer.WriteStartObject(WireNames.Bid);
        writer.WriteNumber(WireNames.Price, quote.BidPrice);
        writer.WriteNumber(WireNames.Size, quote.BidSize);
        writer.WriteString(WireNames.Source, bidSource);
        writer.WriteEndObject();
        writer.WriteStartObject(WireNames.Ask);
        writer.WriteNumber(WireNames.Price, quote.AskPrice);
        writer.WriteNumber(WireNames.Size, quote.AskSize);
        writer.WriteString(WireNames.Source, askSource);
        writer.WriteEndObject();
        writer.WriteNumber(WireNames.Mid, mid);
        writer.WriteNumber(WireNames.Spread, spread);
        writer.WriteNumber(WireNames.SpreadBps, spreadBps);
        writer.WriteNumber(WireNames.Timestamp, quote.Timestamp);
        writer.WriteNumber(WireNames.Sequence, quote.Sequence);
        writer.WriteEndObject();
    }
}
