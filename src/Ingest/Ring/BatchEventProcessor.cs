using System.Runtime.CompilerServices;

namespace Edge.Ingest.Ring;

/// <summary>
/// Runs one handler over a ring on a dedicated, named background thread: waits for what the barrier lets
/// through, hands the handler the whole batch (the last one flagged end-of-batch), then publishes its own
/// sequence once for the batch. An exception from the handler is counted, reported to the exception
/// handler, and that event is skipped; the processor carries on.
/// </summary>
/// <typeparam name="T">The slot type.</typeparam>
/// <typeparam name="THandler">The handler; a struct gets the call devirtualised and inlined.</typeparam>
public sealed class BatchEventProcessor<T, THandler> : IEventProcessor
    where T : struct
    where THandler : IEventHandler<T>
{
    private const int Idle = 0;
    private const int Running = 1;
    private const int Halting = 2;

    private readonly RingBuffer<T> _ring;
    private readonly SequenceBarrier _barrier;
    private readonly IEventExceptionHandler<T> _exceptionHandler;
    private readonly IWaitStrategy? _progressSignal;
    private readonly Sequence _sequence = new();

    // Not readonly: calls on a readonly struct field would run on a defensive copy and lose the handler's state.
#pragma warning disable IDE0044
    private THandler _handler;
#pragma warning restore IDE0044
    private Thread? _thread;
    private int _state;
    private long _exceptionCount;

    public BatchEventProcessor(
        RingBuffer<T> ring,
        SequenceBarrier barrier,
        THandler handler,
        string name,
        IEventExceptionHandler<T>? exceptionHandler = null)
    {
        ArgumentNullException.ThrowIfNull(ring);
        ArgumentNullException.ThrowIfNull(barrier);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _ring = ring;
        _barrier = barrier;
        _handler = handler;
        Name = name;
        _exceptionHandler = exceptionHandler ?? new StandardErrorExceptionHandler<T>();
        _progressSignal = ring.WaitStrategy.IsBlockingStrategy ? ring.WaitStrategy : null;
    }

    public string Name { get; }

    public Sequence Sequence => _sequence;

    /// <summary>The handler itself (by reference, so a struct handler's state can be read).</summary>
    public ref THandler Handler => ref _handler;

    public bool IsRunning => Volatile.Read(ref _state) != Idle;

    public long ExceptionCount => Interlocked.Read(ref _exceptionCount);

    public long Lag => Math.Max(0, _ring.Cursor - _sequence.Value);

    public ConsumerMetrics GetMetrics()
    {
        var sequence = _sequence.Value;
        return new ConsumerMetrics(Name, sequence, Math.Max(0, _ring.Cursor - sequence), ExceptionCount, IsRunning);
    }

    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, Running, Idle) != Idle)
        {
            throw new InvalidOperationException($"ring processor '{Name}' is running or still halting; halt and join it first");
        }

        _barrier.ClearAlert();
        var thread = new Thread(Run) { Name = Name, IsBackground = true };
        _thread = thread;
        thread.Start();
    }

    public void Halt()
    {
        if (Interlocked.CompareExchange(ref _state, Halting, Running) == Running)
        {
            _barrier.Alert();
        }
    }

    public bool Join(TimeSpan timeout) => _thread?.Join(timeout) ?? true;

    public bool HaltAndJoin(TimeSpan timeout)
    {
        Halt();
        return Join(timeout);
    }

    /// <summary>Halts and waits for the thread without a time limit.</summary>
    public void Dispose()
    {
        Halt();
        _thread?.Join();
    }

    private void Run()
    {
        try
        {
            ProcessEvents();
        }
        finally
        {
            Volatile.Write(ref _state, Idle);
        }
    }

    private void ProcessEvents()
    {
        var next = _sequence.Value + 1;
        var notYetPublished = default(SpinWait);
        while (true)
        {
            var available = _barrier.WaitFor(next);
            if (available < next)
            {
                if (_barrier.IsAlerted)
                {
                    return;
                }

                // Multi-producer: a slot is claimed but not yet written. Spin, then yield; never sleep 1 ms.
                notYetPublished.SpinOnce(sleep1Threshold: -1);
                continue;
            }

            try
            {
                for (; next <= available; next++)
                {
                    _handler.OnEvent(ref _ring[next], next, next == available);
                }
            }
            catch (Exception exception)
            {
                // Only the handler is inside the try: the failed event is reported and skipped, the rest of the batch follows.
                OnHandlerException(exception, next++);
                continue;
            }

            _sequence.SetValue(available);
            _progressSignal?.SignalAllWhenBlocking();
            notYetPublished = default;
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void OnHandlerException(Exception exception, long sequence)
    {
        Interlocked.Increment(ref _exceptionCount);
        try
        {
            _exceptionHandler.HandleEventException(exception, sequence, ref _ring[sequence], Name);
        }
        catch (Exception)
        {
            // Reporting failed as well; the count above still records the event, and the ring must go on.
        }

        _sequence.SetValue(sequence);
        _progressSignal?.SignalAllWhenBlocking();
    }
}
