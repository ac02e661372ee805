using System.Collections.Concurrent;
using DotNetty.Common.Concurrency;
using DotNetty.Common.Internal;
using Edge.Ingest.Native;

namespace Edge.Server.Transport;

/// <summary>
/// The task queue of an <see cref="EdgeEventLoop"/>: DotNetty's plain concurrent queue, except that it never holds the
/// executor's private wake-up marker (an empty task). DotNetty 0.7.6 counts running that marker as work, and its
/// <c>ConfirmShutdown</c> answers work by queueing the marker again: once any task slips in after a loop decided to
/// stop, <c>CleanupAndTerminate</c> spins on the marker for ever at full CPU and the loop never terminates. Netty skips
/// the marker when polling for the same reason. Dropping it loses nothing: every enqueue from another thread also sets
/// the loop's wake event, and the loop never blocks for tasks while it shuts down.
/// </summary>
/// <remarks>
/// With the receive duty on the loop (<see cref="LoopReceiveDuty"/>) the loop never waits in DotNetty's wake event: the
/// duty parks in poll(2) instead, after <see cref="TryPark"/>. While it is parked, a task (or DotNetty's wake-up marker,
/// for a shutdown) signals its <see cref="WakeSignal"/>, so cross-thread work is served at once.
/// </remarks>
internal sealed class LoopTaskQueue : IQueue<IRunnable>
{
    private readonly ConcurrentQueue<IRunnable> _tasks = new();

    // Set once, by the loop's constructor, before the loop is handed to anyone (see EdgeEventLoop).
    private volatile IRunnable? _wakeUpMarker;

    // The receive duty's eventfd, and 1 while the duty is parked in poll(2) on it.
    private WakeSignal? _parkSignal;
    private int _parked;

    public int Count => _tasks.Count;

    public bool IsEmpty => _tasks.IsEmpty;

    /// <summary>The executor's wake-up marker, once captured; for tests.</summary>
    internal IRunnable? WakeUpMarker => _wakeUpMarker;

    public bool TryEnqueue(IRunnable item)
    {
        var marker = _wakeUpMarker;
        if (marker is null)
        {
            // The first task ever queued is the marker itself: the constructor of EdgeEventLoop wakes the loop
            // before anything else can reach it.
            _wakeUpMarker = item;
            return true;
        }

        if (!ReferenceEquals(item, marker))
        {
            _tasks.Enqueue(item);
        }

        // After the enqueue (a full fence), so a duty that parks after checking the queue is empty either sees the
        // task or gets the signal.
        if (Volatile.Read(ref _parked) != 0 && Interlocked.Exchange(ref _parked, 0) != 0)
        {
            _parkSignal!.Signal();
        }

        return true;
    }

    /// <summary>The eventfd a parked receive duty waits on; set once, before the duty first runs.</summary>
    internal void AttachParkSignal(WakeSignal signal) => _parkSignal = signal;

    /// <summary>
    /// The receive duty is about to park in poll(2): true when the queue is empty (any task queued from now on
    /// signals the duty's eventfd), false when tasks are waiting (do not park).
    /// </summary>
    internal bool TryPark()
    {
        Interlocked.Exchange(ref _parked, 1);
        if (_tasks.IsEmpty)
        {
            return true;
        }

        Volatile.Write(ref _parked, 0);
        return false;
    }

    /// <summary>The parked duty woke up (by data, a timeout or the signal).</summary>
    internal void Unpark() => Volatile.Write(ref _parked, 0);

    public bool TryDequeue(out IRunnable item) => _tasks.TryDequeue(out item!);

    public bool TryPeek(out IRunnable item) => _tasks.TryPeek(out item!);

    public void Clear() => _tasks.Clear();
}
