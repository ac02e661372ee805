namespace Edge.Ingest.Aeron;

/// <summary>How the receive thread of an <see cref="AeronReceiver{THandler}"/> waits for datagrams.</summary>
public enum AeronReceiveWait
{
    /// <summary>
    /// Sleeps in poll(2) until a datagram arrives or a timer is due: no CPU while idle, but every datagram after a
    /// quiet spell pays a wake-up (≈ 15-25 µs, far more at the tail, when the sender runs on another CPU). The default.
    /// </summary>
    Blocking,

    /// <summary>
    /// Never sleeps: a non-blocking check in a loop, and <see cref="Thread.Yield"/> after every pass that found
    /// nothing, so other threads on the same core still run. Saves the wake-up; the core shows 100 % CPU even when
    /// idle. For a core given to Edge alone.
    /// </summary>
    Yielding,

    /// <summary>
    /// Like <see cref="Yielding"/> without the yield: the thread holds its core. Only for a core of its own (isolated,
    /// with Edge's other threads elsewhere); on a shared core it starves the threads behind it.
    /// </summary>
    BusySpin,
}
