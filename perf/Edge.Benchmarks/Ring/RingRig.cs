using Edge.Ingest.Ring;

namespace Edge.Benchmarks.Ring;

/// <summary>
/// Shared set-up for the ring benchmarks: a single-producer ring, summing consumers (multicast or a chain),
/// the producer loop and the end-of-operation wait. The benchmark thread is the producer.
/// </summary>
public sealed class RingRig : IDisposable
{
    public const int Capacity = 1 << 16;

    private readonly BatchEventProcessor<PriceLikeSlot, SummingHandler>[] _consumers;
    private readonly Sequence _last;

    private RingRig(RingBuffer<PriceLikeSlot> ring, BatchEventProcessor<PriceLikeSlot, SummingHandler>[] consumers, Sequence last)
    {
        Ring = ring;
        _consumers = consumers;
        _last = last;
        foreach (var consumer in consumers)
        {
            consumer.Start();
        }
    }

    public RingBuffer<PriceLikeSlot> Ring { get; }

    /// <summary>1 producer → <paramref name="consumers"/> consumers that each see every event.</summary>
    public static RingRig Multicast(WaitStrategyKind kind, int consumers)
    {
        var ring = new RingBuffer<PriceLikeSlot>(Capacity, ProducerType.Single, WaitStrategyFactory.Create(kind));
        var processors = new BatchEventProcessor<PriceLikeSlot, SummingHandler>[consumers];
        for (var i = 0; i < consumers; i++)
        {
            processors[i] = ring.CreateProcessor($"bench-consumer-{i}", default(SummingHandler));
        }

        return new RingRig(ring, processors, processors[^1].Sequence);
    }

    /// <summary>1 producer → stage 1 → stage 2 → … (each stage waits for the one before).</summary>
    public static RingRig Pipeline(WaitStrategyKind kind, int stages)
    {
        var ring = new RingBuffer<PriceLikeSlot>(Capacity, ProducerType.Single, WaitStrategyFactory.Create(kind));
        var processors = new BatchEventProcessor<PriceLikeSlot, SummingHandler>[stages];
        for (var i = 0; i < stages; i++)
        {
            processors[i] = i == 0
                ? ring.CreateProcessor("bench-stage-0", default(SummingHandler))
                : ring.CreateProcessor($"bench-stage-{i}", default(SummingHandler), processors[i - 1]);
        }

        return new RingRig(ring, processors, processors[^1].Sequence);
    }

    /// <summary>Publishes <paramref name="events"/> one claim at a time, waits until every consumer has them.</summary>
    public long PublishOneByOne(int events)
    {
        var ring = Ring;
        for (var i = 0; i < events; i++)
        {
            var sequence = ring.Next();
            ref var slot = ref ring[sequence];
            slot.SymbolId = i & 1023;
            slot.Bid = i;
            slot.Ask = i + 1;
            slot.TimestampTicks = i;
            ring.Publish(sequence);
        }

        return WaitForConsumers();
    }

    /// <summary>Publishes in claims of <paramref name="batch"/> slots (Next(n), Publish(lo, hi)).</summary>
    public long PublishInBatches(int events, int batch)
    {
        var ring = Ring;
        for (var i = 0; i < events; i += batch)
        {
            var high = ring.Next(batch);
            for (var sequence = high - batch + 1; sequence <= high; sequence++)
            {
                ref var slot = ref ring[sequence];
                slot.SymbolId = (int)sequence & 1023;
                slot.Bid = sequence;
                slot.Ask = sequence + 1;
                slot.TimestampTicks = sequence;
            }

            ring.Publish(high - batch + 1, high);
        }

        return WaitForConsumers();
    }

    public void Dispose()
    {
        foreach (var consumer in _consumers)
        {
            consumer.HaltAndJoin(TimeSpan.FromSeconds(30));
        }
    }

    private long WaitForConsumers()
    {
        var target = Ring.Cursor;
        foreach (var consumer in _consumers)
        {
            var spin = default(SpinWait);
            while (consumer.Sequence.Value < target)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }
        }

        return _last.Value;
    }
}
