namespace Edge.Ingest.Prices;

/// <summary>What became of one ingest message beyond what the decoder says.</summary>
public enum PriceIngestOutcome : byte
{
    Published = 0,

    /// <summary>The decoder refused it; <see cref="PriceIngestCounters.Rejected"/> says why.</summary>
    Rejected,

    /// <summary>A new symbol or venue arrived while its name table was full.</summary>
    NameTableFull,

    /// <summary>Its sequence was not above the last one published for its symbol (a duplicate, replay or step back).</summary>
    Stale,
}
