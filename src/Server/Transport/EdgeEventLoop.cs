using DotNetty.Common;
using DotNetty.Common.Concurrency;
using DotNetty.Common.Internal;
using DotNetty.Transport.Channels;

namespace Edge.Server.Transport;

/// <summary>
/// DotNetty 0.7.6's single-thread event loop on a <see cref="LoopTaskQueue"/>, so that a graceful shutdown always ends
/// (and a quiet period ends it before the timeout); create every loop group of Edge with <see cref="NewGroup(int)"/>.
/// </summary>
public sealed class EdgeEventLoop : SingleThreadEventLoop
{
    // DotNetty's default for SingleThreadEventLoop: how long a burst of tasks may run before the loop looks again.
    private static readonly TimeSpan BreakoutInterval = TimeSpan.FromMilliseconds(100);

    private readonly LoopTaskQueue _queue;

    private EdgeEventLoop(IEventLoopGroup parent, LoopTaskQueue queue, IQueue<IRunnable> taskQueue)
        : base(parent, "edge-event-loop", BreakoutInterval, taskQueue)
    {
        _queue = queue;
        // The loop's thread is running but idle, and nothing else holds this loop yet: this wake-up is the first
        // task the queue sees, which is how it learns DotNetty's private marker object (the loop just wakes once).
        WakeUp(inEventLoop: false);
        if (queue.WakeUpMarker is null)
        {
            throw new InvalidOperationException("DotNetty did not queue its wake-up marker; the event loop cannot be made safe to shut down.");
        }
    }

    /// <summary>The loop's task queue (the receive duty parks through it).</summary>
    internal LoopTaskQueue TaskQueue => _queue;

    /// <summary>
    /// Runs every scheduled task that is due (heartbeats, timeouts, conflation ticks), on the loop thread; the
    /// number run. The receive duty calls it: DotNetty moves due scheduled tasks into the queue only when a burst of
    /// tasks ends (or after its 100 ms breakout), and with the duty queued a burst does not end.
    /// </summary>
    internal int RunDueScheduledTasks(Action<Exception> onError)
    {
        var ran = 0;
        while (PollScheduledTask() is { } task)
        {
            ran++;
            try
            {
                task.Run();
            }
            catch (Exception e)
            {
                onError(e);
            }
        }

        return ran;
    }

    /// <summary>How long until the next scheduled task is due (zero if overdue), or null when none is scheduled; loop thread only.</summary>
    internal TimeSpan? NextScheduledTaskDelay
    {
        get
        {
            if (PeekScheduledTask() is not { } task)
            {
                return null;
            }

            var delay = (task.Deadline - PreciseTimeSpan.FromStart).ToTimeSpan();
            return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
        }
    }

    /// <summary>The marker DotNetty uses to wake this loop, which its queue drops; for tests.</summary>
    internal object? WakeUpMarker => _queue.WakeUpMarker;

    /// <summary>A DotNetty loop group of <paramref name="loops"/> Edge event loops.</summary>
    public static MultithreadEventLoopGroup NewGroup(int loops) =>
        new(static parent =>
        {
            var queue = new LoopTaskQueue();
            return new EdgeEventLoop(parent, queue, queue);
        }, loops);

    /// <summary>A group whose loops see their queue through <paramref name="wrapQueue"/>: tests use it to steer when tasks arrive.</summary>
    internal static MultithreadEventLoopGroup NewGroup(int loops, Func<IQueue<IRunnable>, IQueue<IRunnable>> wrapQueue) =>
        new(parent =>
        {
            var queue = new LoopTaskQueue();
            return new EdgeEventLoop(parent, queue, wrapQueue(queue));
        }, loops);
}
