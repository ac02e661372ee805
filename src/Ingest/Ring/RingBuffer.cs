using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Edge.Ingest.Ring;

/// <summary>
/// A pre-allocated ring of <typeparamref name="T"/> slots held by value, with the Disruptor protocol:
/// claim a sequence, write the slot in place, publish. Nothing is allocated per event.
/// </summary>
/// <remarks>
/// <code>
/// var sequence = ring.Next();
/// ref var slot = ref ring[sequence];
/// slot.SymbolId = 42; slot.Bid = ...;
/// ring.Publish(sequence);
/// </code>
/// Every claimed sequence must be published, in claim order per producer, before that producer claims again.
/// Wire consumers (<see cref="CreateProcessor{THandler}(string, THandler, IEventProcessor[])"/>) before the
/// first publish.
/// </remarks>
public sealed class RingBuffer<T>
    where T : struct
{
    /// <summary>Slots of padding before the first and after the last slot, ≥ 128 bytes each, so no other heap object shares their lines.</summary>
    private static readonly int PaddingSlots = Math.Max(1, (128 + Unsafe.SizeOf<T>() - 1) / Unsafe.SizeOf<T>());

    private readonly T[] _slots;
    private readonly long _indexMask;
    private readonly Sequencer _sequencer;
    private readonly SingleProducerSequencer? _singleProducer;

    /// <summary>A single-producer ring with the default (blocking) wait strategy.</summary>
    public RingBuffer(int capacity)
        : this(capacity, ProducerType.Single, WaitStrategyFactory.Create(WaitStrategyFactory.DefaultKind))
    {
    }

    /// <param name="capacity">Slots; a power of two.</param>
    /// <param name="producerType">One publishing thread, or several.</param>
    /// <param name="waitStrategy">How consumers wait; one instance per ring.</param>
    public RingBuffer(int capacity, ProducerType producerType, IWaitStrategy waitStrategy)
    {
        ArgumentNullException.ThrowIfNull(waitStrategy);
        _sequencer = producerType switch
        {
            ProducerType.Single => _singleProducer = new SingleProducerSequencer(capacity, waitStrategy),
            ProducerType.Multi => new MultiProducerSequencer(capacity, waitStrategy),
            _ => throw new ArgumentOutOfRangeException(nameof(producerType), producerType, "unknown producer type"),
        };
        _slots = new T[capacity + (2 * PaddingSlots)];
        _indexMask = capacity - 1;
        ProducerType = producerType;
    }

    public int Capacity => _sequencer.BufferSize;

    public ProducerType ProducerType { get; }

    public IWaitStrategy WaitStrategy => _sequencer.WaitStrategy;

    /// <summary>Highest published sequence (multi-producer: highest claimed).</summary>
    public long Cursor => _sequencer.Cursor.Value;

    /// <summary>Free slots as the producer sees them.</summary>
    public long RemainingCapacity => _sequencer.RemainingCapacity;

    /// <summary>Claims that found the ring full and waited; readable from any thread.</summary>
    public long FullRingWaits => _sequencer.FullRingWaits;

    /// <summary>The slot for <paramref name="sequence"/>, by reference (no copy, no bounds check: the mask keeps it in range).</summary>
    public ref T this[long sequence]
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), PaddingSlots + (int)(sequence & _indexMask));
    }

    /// <summary>Claims the next slot, waiting (spin, then yield, then sleep) while the ring is full.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Next() => _singleProducer is { } single ? single.Next(1) : _sequencer.Next(1);

    /// <summary>
    /// Claims <paramref name="n"/> slots (1 … capacity) and returns the highest: they are
    /// <c>hi - (n - 1)</c> … <c>hi</c>. Publish them with <see cref="Publish(long, long)"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Next(int n) => _singleProducer is { } single ? single.Next(n) : _sequencer.Next(n);

    /// <summary>Claims the next slot if one is free now; never waits.</summary>
    public bool TryNext(out long sequence) => _sequencer.TryNext(1, out sequence);

    /// <summary>Claims <paramref name="n"/> slots if they are free now; never waits. Returns the highest.</summary>
    public bool TryNext(int n, out long highSequence) => _sequencer.TryNext(n, out highSequence);

    /// <summary>Makes the slot at <paramref name="sequence"/> visible to consumers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long sequence)
    {
        if (_singleProducer is { } single)
        {
            single.Publish(sequence);
        }
        else
        {
            _sequencer.Publish(sequence);
        }
    }

    /// <summary>Makes the claimed slots <paramref name="lowSequence"/> … <paramref name="highSequence"/> visible.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Publish(long lowSequence, long highSequence)
    {
        if (_singleProducer is { } single)
        {
            single.Publish(highSequence);
        }
        else
        {
            _sequencer.Publish(lowSequence, highSequence);
        }
    }

    /// <summary>Whether the slot at <paramref name="sequence"/> is published (and not yet lapped).</summary>
    public bool IsPublished(long sequence) => _sequencer.IsAvailable(sequence);

    /// <summary>
    /// A barrier for a consumer that must stay behind the given upstream consumers (none: it follows the
    /// producer, as in multicast).
    /// </summary>
    public SequenceBarrier NewBarrier(params Sequence[] upstream) => new(_sequencer, (Sequence[])upstream.Clone());

    /// <summary>
    /// Adds end-consumer sequences the producer must never lap. Each is positioned at the cursor first (a
    /// consumer joining a running ring starts with the next event).
    /// </summary>
    public void AddGatingSequences(params Sequence[] sequences) => _sequencer.AddGatingSequences(sequences, null);

    public bool RemoveGatingSequence(Sequence sequence) => _sequencer.RemoveGatingSequence(sequence);

    /// <summary>
    /// Creates a processor (not started) whose handler sees every event after all of
    /// <paramref name="dependsOn"/> have (none: straight after the producer). The gating set is kept to the end
    /// of each chain: the new processor gates the producer and its upstream processors stop doing so.
    /// </summary>
    public BatchEventProcessor<T, THandler> CreateProcessor<THandler>(string name, THandler handler, params IEventProcessor[] dependsOn)
        where THandler : IEventHandler<T> =>
        CreateProcessor(name, handler, new StandardErrorExceptionHandler<T>(), dependsOn);

    /// <inheritdoc cref="CreateProcessor{THandler}(string, THandler, IEventProcessor[])"/>
    public BatchEventProcessor<T, THandler> CreateProcessor<THandler>(
        string name,
        THandler handler,
        IEventExceptionHandler<T> exceptionHandler,
        params IEventProcessor[] dependsOn)
        where THandler : IEventHandler<T>
    {
        var upstream = new Sequence[dependsOn.Length];
        for (var i = 0; i < dependsOn.Length; i++)
        {
            upstream[i] = dependsOn[i].Sequence;
        }

        var processor = new BatchEventProcessor<T, THandler>(this, new SequenceBarrier(_sequencer, upstream), handler, name, exceptionHandler);
        long? startAt = upstream.Length == 0 ? null : MinimumSequence.Of(upstream, long.MaxValue);
        _sequencer.AddGatingSequences([processor.Sequence], startAt);
        foreach (var sequence in upstream)
        {
            _sequencer.RemoveGatingSequence(sequence);
        }

        return processor;
    }

    /// <summary>Depth, cursor and back-pressure counters, for the metrics exporter; any thread.</summary>
    public RingMetrics GetMetrics()
    {
        var cursor = _sequencer.Cursor.Value;
        return new RingMetrics(
            Capacity,
            cursor,
            MinimumSequence.Of(_sequencer.GatingSequences, cursor),
            _sequencer.FullRingWaits,
            _sequencer.TryNextFailures);
    }
}
