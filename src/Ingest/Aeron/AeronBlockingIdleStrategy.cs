using Edge.Ingest.Concurrency;

namespace Edge.Ingest.Aeron;

/// <summary>
/// <see cref="AeronReceiveWait.Blocking"/>: after every pass, parks in poll(2) on the receiver's socket until a
/// datagram waits or the next protocol timer falls due (<see cref="AeronReceiver{THandler}.WaitForDatagrams"/>). It
/// polls after a busy pass too: poll returns at once when datagrams are waiting, and the timers still get their turn.
/// </summary>
internal readonly struct AeronBlockingIdleStrategy<THandler> : IIdleStrategy
    where THandler : IAeronMessageHandler
{
    private readonly AeronReceiver<THandler> _receiver;

    public AeronBlockingIdleStrategy(AeronReceiver<THandler> receiver) => _receiver = receiver;

    public void Idle(int workCount) => _receiver.WaitForDatagrams(wake: null, long.MaxValue);
}
