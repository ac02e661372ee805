using System.Buffers.Binary;
using System.Globalization;

namespace Edge.Protocol.Client;

/// <summary>
/// Hand-written span encoders of the <c>price</c> map, for the hot path. They write exactly the
/// bytes of the <see cref="PriceMessage"/> shape (over MessagePackWriter / Utf8JsonWriter), which the tests
/// check byte for byte and by decoding with MessagePackReader; the benchmarks in
/// perf/Edge.Benchmarks/Protocol show why they exist (PriceFrameBenchmarks).
/// </summary>
internal static class PriceSpanWriter
{
    /// <summary>
    /// Upper bound of either payload: names at their limits (JSON-escaped at worst 6 bytes per
    /// byte), 7 doubles of at most 24 characters, two 20-digit integers, keys and punctuation.
    /// </summary>
    public const int MaxPayloadLength = 700;

    // MessagePack constant runs (fixmap/fixstr headers included).
    private static ReadOnlySpan<byte> MpPrefix => [0x89, 0xA4, 0x74, 0x79, 0x70, 0x65, 0xA5, 0x70, 0x72, 0x69, 0x63, 0x65, 0xA6, 0x73, 0x79, 0x6D, 0x62, 0x6F, 0x6C];

    private static ReadOnlySpan<byte> MpBid => [0xA3, 0x62, 0x69, 0x64, 0x83, 0xA5, 0x70, 0x72, 0x69, 0x63, 0x65];

    private static ReadOnlySpan<byte> MpAsk => [0xA3, 0x61, 0x73, 0x6B, 0x83, 0xA5, 0x70, 0x72, 0x69, 0x63, 0x65];

    private static ReadOnlySpan<byte> MpSize => [0xA4, 0x73, 0x69, 0x7A, 0x65];

    private static ReadOnlySpan<byte> MpSource => [0xA6, 0x73, 0x6F, 0x75, 0x72, 0x63, 0x65];

    private static ReadOnlySpan<byte> MpMid => [0xA3, 0x6D, 0x69, 0x64];

    private static ReadOnlySpan<byte> MpSpread => [0xA6, 0x73, 0x70, 0x72, 0x65, 0x61, 0x64];

    private static ReadOnlySpan<byte> MpSpreadBps => [0xA9, 0x73, 0x70, 0x72, 0x65, 0x61, 0x64, 0x42, 0x70, 0x73];

    private static ReadOnlySpan<byte> MpTimestamp => [0xA9, 0x74, 0x69, 0x6D, 0x65, 0x73, 0x74, 0x61, 0x6D, 0x70];

    private static ReadOnlySpan<byte> MpSequence => [0xA8, 0x73, 0x65, 0x71, 0x75, 0x65, 0x6E, 0x63, 0x65];

    public static int WriteMessagePack(
        Span<byte> destination,
        ReadOnlySpan<byte> symbol,
        ReadOnlySpan<byte> bidSource,
        ReadOnlySpan<byte> askSource,
        in Quote quote,
        double mid,
        double spread,
        double spreadBps)
    {
        if (destination.Length < MaxPayloadLength)
        {
            throw new ArgumentException($"the destination must hold {MaxPayloadLength} bytes", nameof(destination));
        }

        var p = Raw(destination, 0, MpPrefix);
        p = String(destination, p, symbol);
        p = Raw(destination, p, MpBid);
        p = Float64(destination, p, quote.BidPrice);
        p = Raw(destination, p, MpSize);
        p = Float64(destination, p, quote.BidSize);
        p = Raw(destination, p, MpSource);
        p = String(destination, p, bidSource);
        p = Raw(destination, p, MpAsk);
        p = Float64(destination, p, quote.AskPrice);
        p = Raw(destination, p, MpSize);
        p = Float64(destination, p, quote.AskSize);
        p = Raw(destination, p, MpSource);
        p = String(destination, p, askSource);
        p = Raw(destination, p, MpMid);
        p = Float64(destination, p, mid);
        p = Raw(destination, p, MpSpread);
        p = Float64(destination, p, spread);
        p = Raw(destination, p, MpSpreadBps);
        p = Float64(destination, p, spreadBps);
        p = Raw(destination, p, MpTimestamp);
        p = Integer(destination, p, quote.Timestamp);
        p = Raw(destination, p, MpSequence);
        return Unsigned(destination, p, quote.Sequence);
    }

    public static int WriteJson(
        Span<byte> destination,
        ReadOnlySpan<byte> symbol,
        ReadOnlySpan<byte> bidSource,
        ReadOnlySpan<byte> askSource,
        in Quote quote,
        double mid,
        double spread,
        double spreadBps)
    {
        if (destination.Length < MaxPayloadLength)
        {
            throw new ArgumentException($"the destination must hold {MaxPayloadLength} bytes", nameof(destination));
        }

        var p = Raw(destination, 0, "{\"type\":\"price\",\"symbol\":\""u8);
        p = JsonString(destination, p, symbol);
        p = Raw(destination, p, "\",\"bid\":{\"price\":"u8);
        p = Number(destination, p, quote.BidPrice);
        p = Raw(destination, p, ",\"size\":"u8);
        p = Number(destination, p, quote.BidSize);
        p = Raw(destination, p, ",\"source\":\""u8);
        p = JsonString(destination, p, bidSource);
        p = Raw(destination, p, "\"},\"ask\":{\"price\":"u8);
        p = Number(destination, p, quote.AskPrice);
        p = Raw(destination, p, ",\"size\":"u8);
        p = Number(destination, p, quote.AskSize);
        p = Raw(destination, p, ",\"source\":\""u8);
        p = JsonString(destination, p, askSource);
        p = Raw(destination, p, "\"},\"mid\":"u8);
        p = Number(destination, p, mid);
        p = Raw(destination, p, ",\"spread\":"u8);
        p = Number(destination, p, spread);
        p = Raw(destination, p, ",\"spreadBps\":"u8);
        p = Number(destination, p, spreadBps);
        p = Raw(destination, p, ",\"timestamp\":"u8);
        p = Number(destination, p, quote.Timestamp);
        p = Raw(destination, p, ",\"sequence\":"u8);
        p = Number(destination, p, quote.Sequence);
        destination[p] = (byte)'}';
        return p + 1;
    }

    private static int Raw(Span<byte> destination, int position, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination[position..]);
        return position + bytes.Length;
    }

    // ---- MessagePack (big-endian, smallest integer form as MessagePackWriter writes it).

    private static int String(Span<byte> destination, int position, ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length <= 31)
        {
            destination[position++] = (byte)(0xA0 | utf8.Length);
        }
        else
        {
            // Names are at most 32 bytes, so str8 is the only other form needed.
            destination[position++] = 0xD9;
            destination[position++] = (byte)utf8.Length;
        }

        return Raw(destination, position, utf8);
    }

    private static int Float64(Span<byte> destination, int position, double value)
    {
        destination[position] = 0xCB;
        BinaryPrimitives.WriteDoubleBigEndian(destination[(position + 1)..], value);
        return position + 9;
    }

    private static int Integer(Span<byte> destination, int position, long value)
    {
        if (value >= 0)
        {
            return Unsigned(destination, position, (ulong)value);
        }

        if (value >= -32)
        {
            destination[position] = unchecked((byte)value); // negative fixint
            return position + 1;
        }

        if (value >= sbyte.MinValue)
        {
            destination[position] = 0xD0;
            destination[position + 1] = unchecked((byte)value);
            return position + 2;
        }

        if (value >= short.MinValue)
        {
            destination[position] = 0xD1;
            BinaryPrimitives.WriteInt16BigEndian(destination[(position + 1)..], (short)value);
            return position + 3;
        }

        if (value >= int.MinValue)
        {
            destination[position] = 0xD2;
            BinaryPrimitives.WriteInt32BigEndian(destination[(position + 1)..], (int)value);
            return position + 5;
        }

        destination[position] = 0xD3;
        BinaryPrimitives.WriteInt64BigEndian(destination[(position + 1)..], value);
        return position + 9;
    }

    private static int Unsigned(Span<byte> destination, int position, ulong value)
    {
        if (value <= 0x7F)
        {
            destination[position] = (byte)value; // positive fixint
            return position + 1;
        }

        if (value <= byte.MaxValue)
        {
            destination[position] = 0xCC;
            destination[position + 1] = (byte)value;
            return position + 2;
        }

        if (value <= ushort.MaxValue)
        {
            destination[position] = 0xCD;
            BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 1)..], (ushort)value);
            return position + 3;
        }

        if (value <= uint.MaxValue)
        {
            destination[position] = 0xCE;
            BinaryPrimitives.WriteUInt32BigEndian(destination[(position + 1)..], (uint)value);
            return position + 5;
        }

        destination[position] = 0xCF;
        BinaryPrimitives.WriteUInt64BigEndian(destination[(position + 1)..], value);
        return position + 9;
    }

    // ---- JSON.

    /// <summary>Shortest round-trip digits, invariant culture: what Utf8JsonWriter writes for a double.</summary>
    private static int Number(Span<byte> destination, int position, double value)
    {
        value.TryFormat(destination[position..], out var written, default, CultureInfo.InvariantCulture);
        return position + written;
    }

    private static int Number(Span<byte> destination, int position, long value)
    {
        value.TryFormat(destination[position..], out var written, default, CultureInfo.InvariantCulture);
        return position + written;
    }

    private static int Number(Span<byte> destination, int position, ulong value)
    {
        value.TryFormat(destination[position..], out var written, default, CultureInfo.InvariantCulture);
        return position + written;
    }

    /// <summary>
    /// The string body (quotes are in the constant runs). Names are checked UTF-8 without control
    /// characters, so usually a plain copy; '"' and '\' are escaped, and any control byte becomes \u00XX.
    /// </summary>
    private static int JsonString(Span<byte> destination, int position, ReadOnlySpan<byte> utf8)
    {
        var clean = utf8.IndexOfAny(JsonEscapes.Bytes);
        if (clean < 0)
        {
            return Raw(destination, position, utf8);
        }

        foreach (var b in utf8)
        {
            if (b == (byte)'"' || b == (byte)'\\')
            {
                destination[position++] = (byte)'\\';
                destination[position++] = b;
            }
            else if (b < 0x20)
            {
                "\\u00"u8.CopyTo(destination[position..]);
                destination[position + 4] = (byte)"0123456789ABCDEF"[b >> 4];
                destination[position + 5] = (byte)"0123456789ABCDEF"[b & 0xF];
                position += 6;
            }
            else
            {
                destination[position++] = b;
            }
        }

        return position;
    }
}
