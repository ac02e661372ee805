using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Edge.Ingest.Ring;

/// <summary>
/// Sequencer for several publishing threads. A claim is a compare-and-swap on the cursor (which therefore
/// means "highest claimed", not "highest published"); publication sets a per-slot flag holding the lap
/// number (<c>sequence / capacity</c>), so consumers can tell which claimed slots are really written without
/// producers waiting for each other to publish in order.
/// </summary>
internal sealed class MultiProducerSequencer : Sequencer
{
    private readonly Sequence _gatingSequenceCache = new();
    private readonly int[] _availableLaps;
    private readonly int _indexMask;
    private readonly int _indexShift;

    public MultiProducerSequencer(int bufferSize, IWaitStrategy waitStrategy)
        : base(bufferSize, waitStrategy)
    {
        _availableLaps = new int[bufferSize];
        _availableLaps.AsSpan().Fill(-1);
        _indexMask = bufferSize - 1;
        _indexShift = BitOperations.Log2((uint)bufferSize);
    }

    public override long Claimed => Cursor.Value;

    public override long Next(int n)
    {
        if ((uint)(n - 1) >= (uint)BufferSize)
        {
            ThrowBadClaimSize(n);
        }

        var backoff = default(SpinWait);
        var counted = false;
        while (true)
        {
            var current = Cursor.Value;
            var next = current + n;
            var wrapPoint = next - BufferSize;
            var cachedGating = _gatingSequenceCache.Value;
            if (wrapPoint > cachedGating || cachedGating > current)
            {
                var minimum = MinimumSequence.Of(GatingSequences, current);
                if (wrapPoint > minimum)
                {
                    if (!counted)
                    {
                        counted = true;
                        CountFullRingWait();
                    }

                    backoff.SpinOnce(FullRingSleep1Threshold);
                    continue;
                }

                _gatingSequenceCache.SetValue(minimum);
            }
            else if (Cursor.CompareAndSet(current, next))
            {
                return next;
            }
        }
    }

    public override bool TryNext(int n, out long highSequence)
    {
        if ((uint)(n - 1) >= (uint)BufferSize)
        {
            ThrowBadClaimSize(n);
        }

        long current;
        do
        {
            current = Cursor.Value;
            var wrapPoint = current + n - BufferSize;
            var cachedGating = _gatingSequenceCache.Value;
            if (wrapPoint > cachedGating || cachedGating > current)
            {
                var minimum = MinimumSequence.Of(GatingSequences, current);
                _gatingSequenceCache.SetValue(minimum);
                if (wrapPoint > minimum)
                {
                    CountTryNextFailure();
                    highSequence = Sequence.InitialValue;
                    return false;
                }
            }
        }
        while (!Cursor.CompareAndSet(current, current + n));

        highSequence = current + n;
        return true;
    }

    public override void Publish(long sequence)
    {
        MarkAvailable(sequence);
        BlockingSignal?.SignalAllWhenBlocking();
    }

    public override void Publish(long lowSequence, long highSequence)
    {
        for (var sequence = lowSequence; sequence <= highSequence; sequence++)
        {
            MarkAvailable(sequence);
        }

        BlockingSignal?.SignalAllWhenBlocking();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override bool IsAvailable(long sequence) =>
        Volatile.Read(ref LapFlag(sequence)) == (int)(sequence >>> _indexShift);

    /// <summary>
    /// The highest sequence from <paramref name="lowSequence"/> up to <paramref name="available"/> such that
    /// every slot in between is published; <c>lowSequence - 1</c> if the first one is not.
    /// </summary>
    public long GetHighestPublishedSequence(long lowSequence, long available)
    {
        for (var sequence = lowSequence; sequence <= available; sequence++)
        {
            if (!IsAvailable(sequence))
            {
                return sequence - 1;
            }
        }

        return available;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MarkAvailable(long sequence) =>
        Volatile.Write(ref LapFlag(sequence), (int)(sequence >>> _indexShift));

    /// <summary>The slot's flag without a bounds check: the mask keeps the index inside the array.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref int LapFlag(long sequence) =>
        ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_availableLaps), (int)sequence & _indexMask);
}
