using Edge.Ingest.Ring;

namespace Edge.Benchmarks.Ring;

/// <summary>Copies each event from the ping ring into the pong ring: the far end of a round trip.</summary>
public readonly struct EchoHandler : IEventHandler<PriceLikeSlot>
{
    private readonly RingBuffer<PriceLikeSlot> _pong;

    public EchoHandler(RingBuffer<PriceLikeSlot> pong) => _pong = pong;

    public void OnEvent(ref PriceLikeSlot slot, long sequence, bool endOfBatch)
    {
        var pongSequence = _pong.Next();
        _pong[pongSequence] = slot;
        _pong.Publish(pongSequence);
    }
}
