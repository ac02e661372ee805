using System.Runtime.CompilerServices;

namespace Edge.Ingest.Ring;

/// <summary>
/// Hands out sequences to producers and keeps them from lapping the slowest gating consumer. The two
/// implementations are sealed and the ring calls them through a type check, so the producer's calls inline.
/// </summary>
internal abstract class Sequencer
{
    /// <summary>
    /// A producer facing a full ring spins ≈ 10 times (a few µs), then yields ≈ 30 times, then sleeps 1 ms per
    /// check: back-pressure must not burn one of the two cores for as long as a consumer is behind.
    /// </summary>
    protected const int FullRingSleep1Threshold = 40;

    private readonly Lock _gatingLock = new();
    private readonly Sequence _fullRingWaits = new(0);
    private readonly Sequence _tryNextFailures = new(0);
    private Sequence[] _gatingSequences = [];

    protected Sequencer(int bufferSize, IWaitStrategy waitStrategy)
    {
        if (bufferSize < 1 || !int.IsPow2(bufferSize))
        {
            throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize, "ring capacity must be a positive power of two");
        }

        BufferSize = bufferSize;
        WaitStrategy = waitStrategy;
        BlockingSignal = waitStrategy.IsBlockingStrategy ? waitStrategy : null;
    }

    public int BufferSize { get; }

    public IWaitStrategy WaitStrategy { get; }

    /// <summary>Single producer: the highest published sequence. Multi producer: the highest claimed one.</summary>
    public Sequence Cursor { get; } = new();

    /// <summary>How many claims found the ring full and had to wait for a consumer.</summary>
    public long FullRingWaits => _fullRingWaits.Value;

    /// <summary>How many TryNext calls failed because the ring was full.</summary>
    public long TryNextFailures => _tryNextFailures.Value;

    /// <summary>The current gating set (copy-on-write: read it once per use).</summary>
    public Sequence[] GatingSequences => Volatile.Read(ref _gatingSequences);

    /// <summary>The highest sequence a producer has claimed so far.</summary>
    public abstract long Claimed { get; }

    /// <summary>The wait strategy when it needs signalling, else null (so publish skips the call).</summary>
    protected IWaitStrategy? BlockingSignal { get; }

    public abstract long Next(int n);

    public abstract bool TryNext(int n, out long highSequence);

    public abstract void Publish(long sequence);

    public abstract void Publish(long lowSequence, long highSequence);

    public abstract bool IsAvailable(long sequence);

    public long RemainingCapacity
    {
        get
        {
            var claimed = Claimed;
            return BufferSize - (claimed - MinimumSequence.Of(GatingSequences, claimed));
        }
    }

    /// <summary>
    /// Adds consumer sequences the producer must not lap. Each one is first positioned at
    /// <paramref name="startAt"/>, or at the cursor when null (a consumer joining late starts with the next
    /// event, as in Disruptor).
    /// </summary>
    public void AddGatingSequences(ReadOnlySpan<Sequence> added, long? startAt)
    {
        lock (_gatingLock)
        {
            foreach (var sequence in added)
            {
                sequence.SetValue(startAt ?? Cursor.Value);
            }

            var current = _gatingSequences;
            var updated = new Sequence[current.Length + added.Length];
            current.CopyTo(updated, 0);
            added.CopyTo(updated.AsSpan(current.Length));
            Volatile.Write(ref _gatingSequences, updated);

            if (startAt is null)
            {
                // The producer may have moved on while it still read the old set; start from where it is now.
                foreach (var sequence in added)
                {
                    sequence.SetValue(Cursor.Value);
                }
            }
        }
    }

    public bool RemoveGatingSequence(Sequence sequence)
    {
        lock (_gatingLock)
        {
            var current = _gatingSequences;
            var index = Array.IndexOf(current, sequence);
            if (index < 0)
            {
                return false;
            }

            var updated = new Sequence[current.Length - 1];
            current.AsSpan(0, index).CopyTo(updated);
            current.AsSpan(index + 1).CopyTo(updated.AsSpan(index));
            Volatile.Write(ref _gatingSequences, updated);
            return true;
        }
    }

    protected void CountFullRingWait() => _fullRingWaits.IncrementAndGet();

    protected void CountTryNextFailure() => _tryNextFailures.IncrementAndGet();

    [MethodImpl(MethodImplOptions.NoInlining)]
    protected void ThrowBadClaimSize(int n) =>
        throw new ArgumentOutOfRangeException(nameof(n), n, $"a claim must be between 1 and the ring capacity ({BufferSize})");
}
