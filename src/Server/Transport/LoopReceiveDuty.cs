using DotNetty.Common.Concurrency;
using Edge.Ingest.Aeron;
using Edge.Ingest.Native;
using Edge.Ingest.Prices;
using Edge.Server.FanOut;

namespace Edge.Server.Transport;

/// <summary>
/// Run to completion (<c>Ingest:ReceiveOn=loop</c>): the Aeron receive duty as a permanent task of one event loop, so
/// a price is received, decoded, put in the ring, encoded (the inline frame stage) and written to that loop's
/// connections on one thread with no hand-off and no wake-up in between. Other loops are still woken per batch.
/// </summary>
/// <remarks>
/// <para>Each run: one receive batch (<see cref="AeronReceiver{THandler}.ReceiveOnce"/>: non-blocking recvfrom until
/// the socket is empty, the protocol timers when due), then this loop's drain called directly, then every due
/// scheduled task of the loop (heartbeats, timeouts, conflation ticks: DotNetty itself only fetches them when a burst
/// of tasks ends, which with this task always queued happens only at its 100 ms breakout). Then it queues itself
/// again behind whatever tasks are waiting (reads, writes, new connections, subscribes), so they run in between;
/// when there is nothing at all to do it parks in poll(2) on the UDP socket and an eventfd that the loop's queue
/// signals when a task arrives, for at most the time to the next Aeron timer or scheduled task.</para>
/// <para>With <c>Ingest:ReceiveWait</c> yielding or busy-spin it never parks (the loop shows 100 % CPU).</para>
/// <para>Stop it (<see cref="StopAsync"/>) before disposing the receiver: the receiver's dispatcher must not run on two
/// threads. It also stops by itself when the loop shuts down, so a graceful shutdown of the loop always ends.</para>
/// </remarks>
internal sealed class LoopReceiveDuty : IRunnable, IFullRingHandler, IDisposable
{
    /// <summary>Full receive batches taken before one drain (the socket is read until empty or this many).</summary>
    internal const int MaxBatchesPerDrain = 16;

    private readonly EdgeEventLoop _loop;
    private readonly AeronReceiver<AeronPriceHandler> _receiver;
    private readonly LoopFanOut _fanOut;
    private readonly Action<Exception> _onError;
    private readonly bool _neverPark;
    private readonly WakeSignal _wake = new();
    private readonly System.Threading.Tasks.TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _stopping;
    private int _started;
    private long _runs;
    private long _parks;
    private volatile bool _parked;

    public LoopReceiveDuty(EdgeEventLoop loop, AeronReceiver<AeronPriceHandler> receiver, LoopFanOut fanOut, bool neverPark, Action<Exception> onError)
    {
        _loop = loop;
        _receiver = receiver;
        _fanOut = fanOut;
        _neverPark = neverPark;
        _onError = onError;
    }

    /// <summary>Runs (a receive batch, the drain, due scheduled tasks) since the start; for tests and metrics.</summary>
    public long Runs => Volatile.Read(ref _runs);

    /// <summary>Times the duty parked in poll(2) with nothing to do.</summary>
    public long Parks => Volatile.Read(ref _parks);

    /// <summary>True while the duty is parked in poll(2); for tests.</summary>
    public bool IsParked => _parked;

    /// <summary>Queues the duty on its loop; call once, after the fan-out is wired.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The receive duty is already started.");
        }

        _loop.TaskQueue.AttachParkSignal(_wake);
        _loop.Execute(this);
    }

    /// <summary>
    /// Asks the duty to stop and waits (up to <paramref name="timeout"/>) until it has: from then on the receiver is
    /// the caller's to dispose. False if the loop did not confirm in time.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan timeout)
    {
        _stopping = true;
        if (Volatile.Read(ref _started) == 0 || _loop.IsTerminated)
        {
            _stopped.TrySetResult();
        }

        _wake.Signal();
        try
        {
            await _stopped.Task.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public void Run()
    {
        if (_stopping || _loop.IsShuttingDown)
        {
            _stopped.TrySetResult();
            return;
        }

        Interlocked.Increment(ref _runs);
        var received = _receiver.ReceiveOnce();
        // Under load, take what the socket holds (up to MaxBatchesPerDrain full batches) before one drain: a saturated
        // loop then makes fewer, bigger writes per connection, as with a receive thread filling the ring meanwhile.
        for (var batches = 1; received == _receiver.BatchLimit && batches < MaxBatchesPerDrain && !_stopping; batches++)
        {
            received = _receiver.ReceiveOnce();
        }
        var more = false;
        try
        {
            more = _fanOut.Drain();
        }
        catch (Exception e)
        {
            _onError(e);
        }

        var ranScheduled = _loop.RunDueScheduledTasks(_onError);
        // A full batch may have left datagrams in the socket; a partial one emptied it (EAGAIN).
        var idle = received >= 0 && received < _receiver.BatchLimit && !more && ranScheduled == 0;
        if (idle && !_neverPark)
        {
            Park(long.MaxValue);
        }
        else if (received < 0)
        {
            // A persistent fault (a broken socket) must not turn the loop into a spin: the thread mode sleeps 1 ms.
            Park(1_000_000);
        }

        _loop.Execute(this);
    }

    /// <summary>The ring is full while this loop receives: drain this loop (the only consumer on this thread) now.</summary>
    public void OnRingFull()
    {
        if (!_loop.InEventLoop)
        {
            return;
        }

        try
        {
            while (_fanOut.Drain())
            {
            }
        }
        catch (Exception e)
        {
            _onError(e);
        }
    }

    public void Dispose() => _wake.Dispose();

    private void Park(long maxWaitNs)
    {
        if (_loop.NextScheduledTaskDelay is { } delay)
        {
            maxWaitNs = Math.Min(maxWaitNs, delay.Ticks * 100);
        }

        // A batch published by another thread (the feed going down at shutdown) or tasks already queued: no wait.
        if (maxWaitNs <= 0 || _fanOut.HasWaiting || !_loop.TaskQueue.TryPark())
        {
            return;
        }

        try
        {
            if (!_stopping)
            {
                Interlocked.Increment(ref _parks);
                _parked = true;
                _receiver.WaitForDatagrams(_wake, maxWaitNs);
                _parked = false;
            }
        }
        finally
        {
            _loop.TaskQueue.Unpark();
        }
    }
}
