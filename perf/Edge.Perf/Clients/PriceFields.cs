namespace Edge.Perf.Clients;

/// <summary>The three fields of a price message the tool reads.</summary>
internal struct PriceFields
{
    public int Symbol;
    public long Timestamp;
    public ulong Sequence;
}
