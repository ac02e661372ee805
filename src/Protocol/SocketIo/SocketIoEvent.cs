using Edge.Protocol.Client;

namespace Edge.Protocol.SocketIo;

/// <summary>
/// An EVENT a client emitted, as far as Edge reads it: the event name and, for <c>subscribe</c> / <c>unsubscribe</c>,
/// the <c>{ symbols, maxRate }</c> argument (symbols that are not valid names are in <see cref="SymbolErrors"/>).
/// </summary>
public sealed class SocketIoEvent
{
    public SocketIoEvent(string name, IReadOnlyList<string> symbols, IReadOnlyList<SymbolError> symbolErrors, int? maxRate)
    {
        Name = name;
        Symbols = symbols;
        SymbolErrors = symbolErrors;
        MaxRate = maxRate;
    }

    public string Name { get; }

    public IReadOnlyList<string> Symbols { get; }

    public IReadOnlyList<SymbolError> SymbolErrors { get; }

    public int? MaxRate { get; }
}
