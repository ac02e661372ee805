namespace Edge.Protocol.Client;

/// <summary>An array of symbols, as acks and (un)subscribe commands carry them.</summary>
internal static class SymbolList
{
    public static void Write<TEncoder>(ref TEncoder encoder, ReadOnlySpan<string> symbols)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        encoder.StartArray(symbols.Length);
        foreach (var symbol in symbols)
        {
            encoder.String(symbol);
        }

        encoder.EndArray();
    }
}
