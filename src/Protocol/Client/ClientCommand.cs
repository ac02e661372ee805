namespace Edge.Protocol.Client;

/// <summary>
/// A decoded client-to-server message. Commands are rare (a few per connection per minute), so
/// this is a small class with managed strings; the decoder has already checked every field.
/// </summary>
public sealed class ClientCommand
{
    private static readonly string[] NoSymbols = [];
    private static readonly SymbolError[] NoErrors = [];

    internal ClientCommand(
        ClientCommandType type, long? id, string[]? symbols, SymbolError[]? symbolErrors, int? maxRate, string? token)
    {
        Type = type;
        Id = id;
        Symbols = symbols ?? NoSymbols;
        SymbolErrors = symbolErrors ?? NoErrors;
        MaxRate = maxRate;
        Token = token;
    }

    public ClientCommandType Type { get; }

    /// <summary>Request id (0..2^53-1), echoed in the reply. Always set for subscribe, unsubscribe and ping.</summary>
    public long? Id { get; }

    /// <summary>The request's symbols that pass the symbol rules, in request order (subscribe, unsubscribe).</summary>
    public IReadOnlyList<string> Symbols { get; }

    /// <summary>The request's symbols that fail the symbol rules (<see cref="ErrorCode.InvalidSymbol"/>), for the ack's errors.</summary>
    public IReadOnlyList<SymbolError> SymbolErrors { get; }

    /// <summary>Subscribe only: the most updates per second per symbol the client wants; null for no client cap.</summary>
    public int? MaxRate { get; }

    /// <summary>Auth only: the new bearer token.</summary>
    public string? Token { get; }
}
