namespace Edge.Ingest.Ring;

/// <summary>
/// A consumer running on its own thread: what wiring, lifecycle and metrics code needs without knowing the
/// handler type.
/// </summary>
public interface IEventProcessor : IDisposable
{
    /// <summary>Also the name of its thread.</summary>
    string Name { get; }

    /// <summary>The last sequence it finished: gates the producer and downstream consumers.</summary>
    Sequence Sequence { get; }

    bool IsRunning { get; }

    long ExceptionCount { get; }

    /// <summary>Events published that it has not finished yet.</summary>
    long Lag { get; }

    /// <summary>Starts the processor on a new dedicated background thread; after a halt it continues after its last sequence.</summary>
    /// <exception cref="InvalidOperationException">it is running (or still halting).</exception>
    void Start();

    /// <summary>Asks the processor to stop after the batch in hand. Returns at once; see <see cref="Join"/>.</summary>
    void Halt();

    /// <summary>Waits for its thread to end; true if it has (or never started).</summary>
    bool Join(TimeSpan timeout);

    /// <summary><see cref="Halt"/> then <see cref="Join"/>.</summary>
    bool HaltAndJoin(TimeSpan timeout);

    ConsumerMetrics GetMetrics();
}
