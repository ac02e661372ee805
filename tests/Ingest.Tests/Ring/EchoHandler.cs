namespace Edge.Ingest.Tests.Ring;

/// <summary>Copies each event into another ring: the far side of a ping-pong.</summary>
internal readonly struct EchoHandler : IEventHandler<TestEvent>
{
    private readonly RingBuffer<TestEvent> _pong;

    public EchoHandler(RingBuffer<TestEvent> pong) => _pong = pong;

    public void OnEvent(ref TestEvent slot, long sequence, bool endOfBatch)
    {
        var pongSequence = _pong.Next();
        _pong[pongSequence] = slot;
        _pong.Publish(pongSequence);
    }
}
