using System.Collections.Concurrent;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Edge.Ingest.Ring;

namespace Edge.Benchmarks.Ring;

/// <summary>
/// One producer (the benchmark thread) → one consumer thread, <see cref="Events"/> events per operation, reported
/// per event. The ring against a bounded <see cref="Channel{T}"/> of the same capacity and an (unbounded)
/// <see cref="ConcurrentQueue{T}"/>, each consumer on its own thread summing every event.
/// </summary>
[Config(typeof(RingBenchmarkConfig))]
public class RingThroughputBenchmarks
{
    public const int Events = 10_000_000;

    private RingRig? _rig;
    private Channel<PriceLikeSlot>? _channel;
    private Task? _channelConsumer;
    private ConcurrentQueue<PriceLikeSlot>? _queue;
    private Thread? _queueConsumer;
    private volatile bool _stopQueueConsumer;
    private DrainProgress _progress = new();

    [GlobalSetup(Target = nameof(Ring_BusySpin))]
    public void SetUpBusySpin() => _rig = RingRig.Multicast(WaitStrategyKind.BusySpin, 1);

    [GlobalSetup(Targets = [nameof(Ring_Yielding), nameof(Ring_Yielding_Batch16)])]
    public void SetUpYielding() => _rig = RingRig.Multicast(WaitStrategyKind.Yielding, 1);

    [GlobalSetup(Target = nameof(Ring_Blocking))]
    public void SetUpBlocking() => _rig = RingRig.Multicast(WaitStrategyKind.Blocking, 1);

    [GlobalCleanup(Targets = [nameof(Ring_BusySpin), nameof(Ring_Yielding), nameof(Ring_Yielding_Batch16), nameof(Ring_Blocking)])]
    public void TearDownRing() => _rig?.Dispose();

    [GlobalSetup(Target = nameof(Channel_Bounded))]
    public void SetUpChannel()
    {
        _progress = new DrainProgress();
        _channel = SummingChannel.CreateBounded();
        _channelConsumer = SummingChannel.DrainAsync(_channel.Reader, _progress);
    }

    [GlobalCleanup(Target = nameof(Channel_Bounded))]
    public void TearDownChannel()
    {
        _channel!.Writer.Complete();
        _channelConsumer!.Wait(TimeSpan.FromSeconds(30));
    }

    [GlobalSetup(Target = nameof(ConcurrentQueue_Unbounded))]
    public void SetUpQueue()
    {
        _progress = new DrainProgress();
        _queue = new ConcurrentQueue<PriceLikeSlot>();
        _stopQueueConsumer = false;
        _queueConsumer = new Thread(DrainQueue) { Name = "bench-queue-consumer", IsBackground = true };
        _queueConsumer.Start();
    }

    [GlobalCleanup(Target = nameof(ConcurrentQueue_Unbounded))]
    public void TearDownQueue()
    {
        _stopQueueConsumer = true;
        _queueConsumer!.Join(TimeSpan.FromSeconds(30));
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public long Ring_BusySpin() => _rig!.PublishOneByOne(Events);

    [Benchmark(OperationsPerInvoke = Events)]
    public long Ring_Yielding() => _rig!.PublishOneByOne(Events);

    [Benchmark(OperationsPerInvoke = Events)]
    public long Ring_Yielding_Batch16() => _rig!.PublishInBatches(Events, 16);

    [Benchmark(OperationsPerInvoke = Events)]
    public long Ring_Blocking() => _rig!.PublishOneByOne(Events);

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public async Task<long> Channel_Bounded()
    {
        var writer = _channel!.Writer;
        var target = _progress.Count + Events;
        for (var i = 0; i < Events; i++)
        {
            var item = new PriceLikeSlot { SymbolId = i & 1023, Bid = i, Ask = i + 1, TimestampTicks = i };
            if (!writer.TryWrite(item))
            {
                await writer.WriteAsync(item);
            }
        }

        _progress.WaitFor(target);
        return _progress.Sum;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public long ConcurrentQueue_Unbounded()
    {
        var queue = _queue!;
        var target = _progress.Count + Events;
        for (var i = 0; i < Events; i++)
        {
            queue.Enqueue(new PriceLikeSlot { SymbolId = i & 1023, Bid = i, Ask = i + 1, TimestampTicks = i });
        }

        _progress.WaitFor(target);
        return _progress.Sum;
    }

    private void DrainQueue()
    {
        var queue = _queue!;
        long count = 0;
        long sum = 0;
        var spin = default(SpinWait);
        while (!_stopQueueConsumer)
        {
            if (queue.TryDequeue(out var item))
            {
                sum += item.Bid;
                count++;
                spin = default;
                continue;
            }

            // Empty: publish how far it got (the producer's end-of-operation wait reads it), then back off.
            _progress.Sum = sum;
            _progress.Publish(count);
            spin.SpinOnce(sleep1Threshold: -1);
        }
    }
}
