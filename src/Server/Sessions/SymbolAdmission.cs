using Edge.Ingest.Symbols;

namespace Edge.Server.Sessions;

/// <summary>
/// Which well-formed symbols a subscribe may name: every symbol the feed has priced, and one that has had no price
/// yet (pending: interned now, delivered from its first price) unless <c>Ingest:Symbols</c> is an allow-list
/// (non-empty: only the listed symbols may be pending, and they are interned at start). Pending symbols stay in the
/// symbol table (ids are never reused), so a client may add them only while the table holds fewer than
/// <c>Ingest:MaxSubscribableSymbols</c> names; the rest of the table, up to <c>Ingest:MaxSymbols</c>, is the feed's.
/// </summary>
public sealed class SymbolAdmission
{
    /// <summary>A symbol that has had no price and may not be added: not on the allow-list.</summary>
    public const int NotListed = -1;

    /// <summary>A symbol that has had no price and may not be added: the table holds the subscribable maximum.</summary>
    public const int TableFull = -2;

    private readonly bool _listedOnly;
    private readonly int _maxSymbols;

    public SymbolAdmission(NameTable symbols, bool listedOnly, int maxSymbols)
    {
        ArgumentNullException.ThrowIfNull(symbols);
        Symbols = symbols;
        _listedOnly = listedOnly;
        _maxSymbols = Math.Min(maxSymbols, symbols.Capacity);
    }

    public NameTable Symbols { get; }

    /// <summary>Pending symbols added by clients since start (the table's other names came from the feed or configuration).</summary>
    public long PendingAdded => Interlocked.Read(ref _pendingAdded);

    private long _pendingAdded;

    /// <summary>
    /// The id of <paramref name="symbol"/> (well-formed, entitled), adding it as pending when allowed; else
    /// <see cref="NotListed"/> or <see cref="TableFull"/>. Any thread.
    /// </summary>
    public int Resolve(string symbol)
    {
        var id = Symbols.Find(symbol);
        if (id >= 0)
        {
            return id;
        }

        if (_listedOnly)
        {
            return NotListed;
        }

        var before = Symbols.Count;
        id = Symbols.GetOrAddShared(symbol, _maxSymbols);
        if (id == NameTable.Full)
        {
            return TableFull;
        }

        if (id >= before)
        {
            Interlocked.Increment(ref _pendingAdded);
        }

        return id;
    }
}
