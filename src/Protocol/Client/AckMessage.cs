namespace Edge.Protocol.Client;

/// <summary>
/// <c>ack</c> {id, subscribed | unsubscribed, errors [{symbol, code, message}]}: <c>symbols</c> are the request's symbols
/// now (un)subscribed, <c>errors</c> the ones that were not.
/// </summary>
public readonly ref struct AckMessage(long id, AckKind kind, ReadOnlySpan<string> symbols, ReadOnlySpan<SymbolError> errors) : IWireMessage
{
    private readonly ReadOnlySpan<string> _symbols = symbols;
    private readonly ReadOnlySpan<SymbolError> _errors = errors;

    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        MessageStart.Write(ref encoder, 4, WireNames.Ack);
        encoder.Key(WireNames.Id);
        encoder.Int64(id);
        encoder.Key(kind == AckKind.Subscribe ? WireNames.Subscribed : WireNames.Unsubscribed);
        SymbolList.Write(ref encoder, _symbols);
        encoder.Key(WireNames.Errors);
        encoder.StartArray(_errors.Length);
        foreach (var error in _errors)
        {
            encoder.StartMap(3);
            encoder.Key(WireNames.Symbol);
            encoder.String(error.Symbol);
            encoder.Key(WireNames.Code);
            encoder.String(ErrorCodes.WireName(error.Code));
            encoder.Key(WireNames.Message);
            encoder.String(error.Message);
            encoder.EndMap();
        }

        encoder.EndArray();
        encoder.EndMap();
    }
}
