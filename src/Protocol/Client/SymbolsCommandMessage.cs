namespace Edge.Protocol.Client;

/// <summary>
/// The client's <c>subscribe</c> {id, symbols, maxRate?} and <c>unsubscribe</c> {id, symbols} (<c>maxRate</c> null):
/// <paramref name="type"/> is <see cref="WireNames.Subscribe"/> or <see cref="WireNames.Unsubscribe"/>.
/// </summary>
public readonly ref struct SymbolsCommandMessage(WireKey type, long id, ReadOnlySpan<string> symbols, int? maxRate) : IWireMessage
{
    private readonly ReadOnlySpan<string> _symbols = symbols;

    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        MessageStart.Write(ref encoder, maxRate.HasValue ? 4 : 3, type);
        encoder.Key(WireNames.Id);
        encoder.Int64(id);
        encoder.Key(WireNames.Symbols);
        SymbolList.Write(ref encoder, _symbols);
        if (maxRate.HasValue)
        {
            encoder.Key(WireNames.MaxRate);
            encoder.Int64(maxRate.Value);
        }

        encoder.EndMap();
    }
}
