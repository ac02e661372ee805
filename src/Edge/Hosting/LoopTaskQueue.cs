using System.Collections.Concurrent;
using DotNetty.Common.Concurrency;
using DotNetty.Common.Internal;

namespace Edge.Server.Hosting;

/// <summary>
/// The task queue of an <see cref="EdgeEventLoop"/>: DotNetty's plain concurrent queue, except that it never holds the
/// executor's private wake-up marker (an empty task). DotNetty 0.7.6 counts running that marker as work, and its
/// <c>ConfirmShutdown</c> answers work by queueing the marker again: once any task slips in after a loop decided to
/// stop, <c>CleanupAndTerminate</c> spins on the marker for ever at full CPU and the loop never terminates. Netty skips
/// the marker when polling for the same reason. Dropping it loses nothing: every enqueue from another thread also sets
/// the loop's wake event, and the loop never blocks for tasks while it shuts down.
/// </summary>
internal sealed class LoopTaskQueue : IQueue<IRunnable>
{
    private readonly ConcurrentQueue<IRunnable> _tasks = new();

    // Set once, by the loop's constructor, before the loop is handed to anyone (see EdgeEventLoop).
    private volatile IRunnable? _wakeUpMarker;

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

        return true;
    }

    public bool TryDequeue(out IRunnable item) => _tasks.TryDequeue(out item!);

    public bool TryPeek(out IRunnable item) => _tasks.TryPeek(out item!);

    public void Clear() => _tasks.Clear();
}
