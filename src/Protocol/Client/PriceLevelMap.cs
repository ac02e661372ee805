using System.Runtime.CompilerServices;

namespace Edge.Protocol.Client;

/// <summary>One side of a price, {price, size, source}, under whichever key table's names the dialect uses.</summary>
internal static class PriceLevelMap
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Write<TEncoder>(
        ref TEncoder encoder, WireKey priceKey, WireKey sizeKey, WireKey sourceKey, double price, double size, ReadOnlySpan<byte> source)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        encoder.StartMap(3);
        encoder.Key(priceKey);
        encoder.Float64(price);
        encoder.Key(sizeKey);
        encoder.Float64(size);
        encoder.Key(sourceKey);
        encoder.String(source);
        encoder.EndMap();
    }
}
