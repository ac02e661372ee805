using Edge.Protocol.Ingest;

namespace Edge.Ingest.Prices;

/// <summary>Ingest counters, written by the ingest thread and read by the metrics exporter.</summary>
public sealed class PriceIngestCounters
{
    private readonly long[] _rejected = new long[Enum.GetValues<IngestDecodeResult>().Length];
    private long _published;
    private long _nameTableFull;
    private long _stale;

    public long Published => Volatile.Read(ref _published);

    public long NameTableFull => Volatile.Read(ref _nameTableFull);

    /// <summary>Prices dropped because their sequence did not grow (see <see cref="PriceIngestOutcome.Stale"/>).</summary>
    public long Stale => Volatile.Read(ref _stale);

    /// <summary>Messages the decoder refused with <paramref name="reason"/>.</summary>
    public long Rejected(IngestDecodeResult reason) => Volatile.Read(ref _rejected[(int)reason]);

    internal void CountPublished() => Volatile.Write(ref _published, _published + 1);

    internal void CountRejected(IngestDecodeResult reason) => Volatile.Write(ref _rejected[(int)reason], _rejected[(int)reason] + 1);

    internal void CountStale() => Volatile.Write(ref _stale, _stale + 1);

    internal void CountNameTableFull() => Volatile.Write(ref _nameTableFull, _nameTableFull + 1);
}
