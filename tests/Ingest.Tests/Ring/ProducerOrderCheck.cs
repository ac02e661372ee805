namespace Edge.Ingest.Tests.Ring;

/// <summary>Per-producer expectations of one consumer in a multi-producer test (consumer thread only).</summary>
internal sealed class ProducerOrderCheck
{
    public ProducerOrderCheck(int producers) => NextExpected = new long[producers];

    public long[] NextExpected { get; }

    public long Count;
    public long Errors;
    public string? FirstError;
}
