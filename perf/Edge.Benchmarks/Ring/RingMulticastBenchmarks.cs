using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Edge.Ingest.Ring;

namespace Edge.Benchmarks.Ring;

/// <summary>
/// One producer → three consumers, each seeing every event (the ring's multicast; for channels, the producer
/// writes every event into three bounded channels), and a 3-stage pipeline (1 → 2 → 3). Four threads on the
/// 2-core machine, so busy-spin is left out: it would only measure the scheduler.
/// </summary>
[Config(typeof(RingBenchmarkConfig))]
public class RingMulticastBenchmarks
{
    public const int Events = 10_000_000;
    private const int Consumers = 3;

    private RingRig? _rig;
    private Channel<PriceLikeSlot>[] _channels = [];
    private Task[] _channelConsumers = [];
    private DrainProgress[] _progress = [];

    [GlobalSetup(Target = nameof(Multicast3_Ring_Yielding))]
    public void SetUpYielding() => _rig = RingRig.Multicast(WaitStrategyKind.Yielding, Consumers);

    [GlobalSetup(Target = nameof(Multicast3_Ring_Blocking))]
    public void SetUpBlocking() => _rig = RingRig.Multicast(WaitStrategyKind.Blocking, Consumers);

    [GlobalSetup(Target = nameof(Pipeline3_Ring_Yielding))]
    public void SetUpPipelineYielding() => _rig = RingRig.Pipeline(WaitStrategyKind.Yielding, Consumers);

    [GlobalSetup(Target = nameof(Pipeline3_Ring_Blocking))]
    public void SetUpPipelineBlocking() => _rig = RingRig.Pipeline(WaitStrategyKind.Blocking, Consumers);

    [GlobalCleanup(Targets = [nameof(Multicast3_Ring_Yielding), nameof(Multicast3_Ring_Blocking), nameof(Pipeline3_Ring_Yielding), nameof(Pipeline3_Ring_Blocking)])]
    public void TearDownRing() => _rig?.Dispose();

    [GlobalSetup(Target = nameof(Multicast3_Channels_Bounded))]
    public void SetUpChannels()
    {
        _channels = new Channel<PriceLikeSlot>[Consumers];
        _channelConsumers = new Task[Consumers];
        _progress = new DrainProgress[Consumers];
        for (var i = 0; i < Consumers; i++)
        {
            _channels[i] = SummingChannel.CreateBounded();
            _progress[i] = new DrainProgress();
            _channelConsumers[i] = SummingChannel.DrainAsync(_channels[i].Reader, _progress[i]);
        }
    }

    [GlobalCleanup(Target = nameof(Multicast3_Channels_Bounded))]
    public void TearDownChannels()
    {
        foreach (var channel in _channels)
        {
            channel.Writer.Complete();
        }

        Task.WaitAll(_channelConsumers, TimeSpan.FromSeconds(30));
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public long Multicast3_Ring_Yielding() => _rig!.PublishOneByOne(Events);

    [Benchmark(OperationsPerInvoke = Events)]
    public long Multicast3_Ring_Blocking() => _rig!.PublishOneByOne(Events);

    [Benchmark(OperationsPerInvoke = Events)]
    public long Pipeline3_Ring_Yielding() => _rig!.PublishOneByOne(Events);

    [Benchmark(OperationsPerInvoke = Events)]
    public long Pipeline3_Ring_Blocking() => _rig!.PublishOneByOne(Events);

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public async Task<long> Multicast3_Channels_Bounded()
    {
        var targets = new long[Consumers];
        for (var c = 0; c < Consumers; c++)
        {
            targets[c] = _progress[c].Count + Events;
        }

        for (var i = 0; i < Events; i++)
        {
            var item = new PriceLikeSlot { SymbolId = i & 1023, Bid = i, Ask = i + 1, TimestampTicks = i };
            foreach (var channel in _channels)
            {
                if (!channel.Writer.TryWrite(item))
                {
                    await channel.Writer.WriteAsync(item);
                }
            }
        }

        for (var c = 0; c < Consumers; c++)
        {
            _progress[c].WaitFor(targets[c]);
        }

        return _progress[0].Sum;
    }
}
