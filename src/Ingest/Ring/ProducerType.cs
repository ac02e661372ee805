namespace Edge.Ingest.Ring;

/// <summary>How many threads publish into a ring; chosen once, at construction.</summary>
public enum ProducerType
{
    /// <summary>One publishing thread (the Aeron receiver): claims are plain stores, no atomic instruction.</summary>
    Single,

    /// <summary>Several publishing threads (several ingest streams): claims by compare-and-swap, publication by per-slot flags.</summary>
    Multi,
}
