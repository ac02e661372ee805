namespace Edge.Ingest.Tests.Ring;

/// <summary>The slot type the ring tests publish: a value, who wrote it, and a mark left by a first stage.</summary>
internal struct TestEvent
{
    public long Value;
    public int ProducerId;
    public long Stage1Mark;
}
