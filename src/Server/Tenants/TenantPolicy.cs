namespace Edge.Server.Tenants;

/// <summary>A tenant's rules, compiled for quick checks, and its live connection count.</summary>
public sealed class TenantPolicy
{
    private readonly HashSet<string> _symbols;
    private readonly string[] _prefixes;
    private readonly bool _allSymbols;
    private int _connections;

    public TenantPolicy(string name, TenantOptions options)
    {
        Name = name;
        Options = options;
        _symbols = new HashSet<string>(options.Symbols, StringComparer.Ordinal);
        _prefixes = [.. options.SymbolPrefixes];
        _allSymbols = _symbols.Count == 0 && _prefixes.Length == 0;
    }

    public string Name { get; }

    public TenantOptions Options { get; }

    public int Connections => Volatile.Read(ref _connections);

    public bool IsEntitled(string symbol)
    {
        if (_allSymbols || _symbols.Contains(symbol))
        {
            return true;
        }

        foreach (var prefix in _prefixes)
        {
            if (symbol.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Takes a connection slot if one is free.</summary>
    public bool TryAddConnection()
    {
        while (true)
        {
            var current = Volatile.Read(ref _connections);
            if (current >= Options.MaxConnections)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _connections, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void RemoveConnection() => Interlocked.Decrement(ref _connections);
}
