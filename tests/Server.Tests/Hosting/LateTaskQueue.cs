using DotNetty.Common.Concurrency;
using DotNetty.Common.Internal;

namespace Edge.Server.Tests.Hosting;

/// <summary>
/// Wraps a loop's task queue and, once the loop is shutting down, slips one task in just after the loop's last
/// empty check before it confirms the shutdown: what a socket completion or another thread's Execute does by chance
/// under load. DotNetty 0.7.6's <c>PollTask</c> looks twice (before and after resetting its wake event), and the
/// shutdown check polls right after the loop's own poll ran dry, so the fourth miss in a row is that last check.
/// </summary>
internal sealed class LateTaskQueue : IQueue<IRunnable>
{
    private const int MissesBeforeTheLastCheck = 4;

    private readonly IQueue<IRunnable> _inner;
    private readonly IRunnable _lateTask = new LateTask();
    private volatile IEventExecutor? _loop;
    private int _missesInARow;
    private volatile bool _injected;

    public LateTaskQueue(IQueue<IRunnable> inner)
    {
        _inner = inner;
    }

    /// <summary>The loop this queue belongs to; set right after the group is created, before it shuts down.</summary>
    public IEventExecutor? Loop
    {
        get => _loop;
        set => _loop = value;
    }

    public bool Injected => _injected;

    public int Count => _inner.Count;

    public bool IsEmpty => _inner.IsEmpty;

    public bool TryEnqueue(IRunnable item) => _inner.TryEnqueue(item);

    public bool TryDequeue(out IRunnable item)
    {
        if (_inner.TryDequeue(out item))
        {
            _missesInARow = 0;
            return true;
        }

        // Only the loop's thread dequeues, so the count needs no synchronisation.
        _missesInARow++;
        if (!_injected && _missesInARow >= MissesBeforeTheLastCheck && _loop is { IsShuttingDown: true })
        {
            _injected = true;
            _inner.TryEnqueue(_lateTask);
        }

        return false;
    }

    public bool TryPeek(out IRunnable item) => _inner.TryPeek(out item);

    public void Clear() => _inner.Clear();

    private sealed class LateTask : IRunnable
    {
        public void Run()
        {
        }
    }
}
