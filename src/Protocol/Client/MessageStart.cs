namespace Edge.Protocol.Client;

/// <summary>The opening every protocol v1 message shares: a map whose first entry is <c>type</c>.</summary>
internal static class MessageStart
{
    /// <summary>Opens a map of <paramref name="entries"/> entries (<c>type</c> counted) and writes <c>"type": type</c>.</summary>
    public static void Write<TEncoder>(ref TEncoder encoder, int entries, WireKey type)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        encoder.StartMap(entries);
        encoder.Key(WireNames.Type);
        encoder.Name(type);
    }
}
