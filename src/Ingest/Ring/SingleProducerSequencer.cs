using System.Runtime.CompilerServices;

namespace Edge.Ingest.Ring;

/// <summary>
/// Sequencer for one publishing thread: a claim is two plain loads and a store, the consumers' sequences are
/// read only when the claim could pass the cached minimum, and publishing is one release store of the cursor.
/// Not thread-safe for producers by design.
/// </summary>
internal sealed class SingleProducerSequencer : Sequencer
{
    private ProducerCursorState _state;

    public SingleProducerSequencer(int bufferSize, IWaitStrategy waitStrategy)
        : base(bufferSize, waitStrategy)
    {
        _state.NextValue = Sequence.InitialValue;
        _state.CachedGatingSequence = Sequence.InitialValue;
    }

    public override long Claimed => Volatile.Read(ref _state.NextValue);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override long Next(int n)
    {
        if ((uint)(n - 1) >= (uint)BufferSize)
        {
            ThrowBadClaimSize(n);
        }

        var current = _state.NextValue;
        var next = current + n;
        var wrapPoint = next - BufferSize;
        var cachedGating = _state.CachedGatingSequence;
        if (wrapPoint > cachedGating || cachedGating > current)
        {
            _state.CachedGatingSequence = WaitForCapacity(wrapPoint, current);
        }

        _state.NextValue = next;
        return next;
    }

    public override bool TryNext(int n, out long highSequence)
    {
        if ((uint)(n - 1) >= (uint)BufferSize)
        {
            ThrowBadClaimSize(n);
        }

        var current = _state.NextValue;
        var wrapPoint = current + n - BufferSize;
        var cachedGating = _state.CachedGatingSequence;
        if (wrapPoint > cachedGating || cachedGating > current)
        {
            var minimum = MinimumSequence.Of(GatingSequences, current);
            _state.CachedGatingSequence = minimum;
            if (wrapPoint > minimum)
            {
                CountTryNextFailure();
                highSequence = Sequence.InitialValue;
                return false;
            }
        }

        highSequence = current + n;
        _state.NextValue = highSequence;
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override void Publish(long sequence)
    {
        Cursor.SetValue(sequence);
        BlockingSignal?.SignalAllWhenBlocking();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public override void Publish(long lowSequence, long highSequence) => Publish(highSequence);

    public override bool IsAvailable(long sequence)
    {
        var cursor = Cursor.Value;
        return sequence <= cursor && sequence > cursor - BufferSize;
    }

    /// <summary>The ring is (or looked) full: re-read the consumers, and wait for the slowest if it really is.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long WaitForCapacity(long wrapPoint, long current)
    {
        long minimum;
        if (wrapPoint > (minimum = MinimumSequence.Of(GatingSequences, current)))
        {
            CountFullRingWait();
            var backoff = default(SpinWait);
            do
            {
                backoff.SpinOnce(FullRingSleep1Threshold);
            }
            while (wrapPoint > (minimum = MinimumSequence.Of(GatingSequences, current)));
        }

        return minimum;
    }
}
