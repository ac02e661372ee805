namespace Edge.Protocol.Client;

/// <summary>
/// What a message shape (<see cref="IWireMessage"/>) writes through: maps, arrays, keys and values, in one encoding.
/// Implemented by structs and used only as a constrained type parameter
/// (<c>where TEncoder : struct, IMessageEncoder, allows ref struct</c>), so the JIT and native AOT compile each shape
/// once per encoding with direct, inlinable calls: nothing virtual, nothing boxed.
/// </summary>
public interface IMessageEncoder
{
    /// <summary>Opens a map of <paramref name="count"/> entries (MessagePack needs the count up front; JSON ignores it).</summary>
    void StartMap(int count);

    void EndMap();

    /// <summary>Opens an array of <paramref name="count"/> elements.</summary>
    void StartArray(int count);

    void EndArray();

    /// <summary>A map key from a key table.</summary>
    void Key(WireKey key);

    /// <summary>A constant string value from a key table (a message type, <c>"up"</c>).</summary>
    void Name(WireKey value);

    void String(string value);

    /// <summary>A string given as UTF-8 bytes.</summary>
    void String(ReadOnlySpan<byte> utf8);

    void Int64(long value);

    void UInt64(ulong value);

    /// <summary>A double, always in full (MessagePack float64, even when integral).</summary>
    void Float64(double value);
}
