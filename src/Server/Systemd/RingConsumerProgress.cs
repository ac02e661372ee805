namespace Edge.Server.Systemd;

/// <summary>
/// Whether one ring consumer is making progress: between two checks, a consumer that had work waiting at the first
/// check (the sequence it may read was ahead of the one it had consumed) and has consumed nothing since is stuck.
/// An idle consumer (nothing to read) is never stuck. Not thread-safe: one watchdog thread checks it.
/// </summary>
public sealed class RingConsumerProgress
{
    private readonly Func<long> _consumed;
    private readonly Func<long> _available;
    private readonly Func<bool> _running;
    private long _lastConsumed;
    private long _lastAvailable;
    private bool _sampled;

    /// <param name="name">The consumer's name in messages (e.g. <c>edge-frames</c>, <c>loop-0</c>).</param>
    /// <param name="consumed">The last sequence the consumer has handled.</param>
    /// <param name="available">The last sequence the consumer may handle (the cursor or the stage it follows).</param>
    /// <param name="running">False once its thread has died or halted.</param>
    public RingConsumerProgress(string name, Func<long> consumed, Func<long> available, Func<bool>? running = null)
    {
        Name = name;
        _consumed = consumed;
        _available = available;
        _running = running ?? (static () => true);
    }

    public string Name { get; }

    /// <summary>Takes a sample and returns null when the consumer is alive, else why it is not.</summary>
    public string? Check()
    {
        if (!_running())
        {
            return $"ring consumer {Name} is not running";
        }

        var consumed = _consumed();
        var available = _available();
        var stuck = _sampled && _lastAvailable > _lastConsumed && consumed == _lastConsumed;
        var behind = _lastAvailable - _lastConsumed;
        _lastConsumed = consumed;
        _lastAvailable = available;
        _sampled = true;
        return stuck ? $"ring consumer {Name} is stuck at sequence {consumed} with {behind}+ events waiting" : null;
    }
}
