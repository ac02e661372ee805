using System.Diagnostics;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Edge.Ingest.Ring;

namespace Edge.Benchmarks.Ring;

/// <summary>
/// Latency: a ping-pong between the benchmark thread and an echo thread through two rings (ping → echo
/// consumer → pong → benchmark thread), <see cref="RoundTrips"/> sequential round trips per operation, so the
/// mean is one round trip (two one-way hand-offs). Against the same ping-pong through two bounded channels
/// (idiomatic async: both ends are thread-pool continuations, which often run on the same pool thread, so the
/// channel round trip frequently involves no cross-core hand-off at all). Each round trip is also timed
/// (two timestamp reads, ≈ 40 ns) and percentiles are printed to the log at clean-up.
/// </summary>
[Config(typeof(RingBenchmarkConfig))]
public class RingRoundTripBenchmarks
{
    public const int RoundTrips = 10_000;
    private const int Capacity = 1024;

    private RingBuffer<PriceLikeSlot>? _ping;
    private RingBuffer<PriceLikeSlot>? _pong;
    private SequenceBarrier? _pongBarrier;
    private Sequence? _pongRead;
    private BatchEventProcessor<PriceLikeSlot, EchoHandler>? _echo;
    private Channel<PriceLikeSlot>? _pingChannel;
    private Channel<PriceLikeSlot>? _pongChannel;
    private Task? _channelEcho;
    private RoundTripSamples _samples = new();

    [GlobalSetup(Target = nameof(RoundTrip_Ring_BusySpin))]
    public void SetUpBusySpin() => SetUpRings(WaitStrategyKind.BusySpin);

    [GlobalSetup(Target = nameof(RoundTrip_Ring_Yielding))]
    public void SetUpYielding() => SetUpRings(WaitStrategyKind.Yielding);

    [GlobalSetup(Target = nameof(RoundTrip_Ring_Blocking))]
    public void SetUpBlocking() => SetUpRings(WaitStrategyKind.Blocking);

    [GlobalCleanup(Targets = [nameof(RoundTrip_Ring_BusySpin), nameof(RoundTrip_Ring_Yielding), nameof(RoundTrip_Ring_Blocking)])]
    public void TearDownRings()
    {
        _echo?.HaltAndJoin(TimeSpan.FromSeconds(30));
        _samples.Print($"ring {_ping!.WaitStrategy.GetType().Name}");
    }

    [GlobalSetup(Target = nameof(RoundTrip_Channel_Bounded))]
    public void SetUpChannels()
    {
        _samples = new RoundTripSamples();
        var options = new BoundedChannelOptions(Capacity) { SingleReader = true, SingleWriter = true };
        _pingChannel = Channel.CreateBounded<PriceLikeSlot>(options);
        _pongChannel = Channel.CreateBounded<PriceLikeSlot>(options);
        _channelEcho = EchoChannelAsync(_pingChannel.Reader, _pongChannel.Writer);
    }

    [GlobalCleanup(Target = nameof(RoundTrip_Channel_Bounded))]
    public void TearDownChannels()
    {
        _pingChannel!.Writer.Complete();
        _channelEcho!.Wait(TimeSpan.FromSeconds(30));
        _samples.Print("bounded channels");
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public long RoundTrip_Ring_BusySpin() => PingPongRings();

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public long RoundTrip_Ring_Yielding() => PingPongRings();

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public long RoundTrip_Ring_Blocking() => PingPongRings();

    [Benchmark(Baseline = true, OperationsPerInvoke = RoundTrips)]
    public async Task<long> RoundTrip_Channel_Bounded()
    {
        var writer = _pingChannel!.Writer;
        var reader = _pongChannel!.Reader;
        var samples = _samples;
        long sum = 0;
        for (var i = 0; i < RoundTrips; i++)
        {
            var start = Stopwatch.GetTimestamp();
            writer.TryWrite(new PriceLikeSlot { Bid = i });
            sum += (await reader.ReadAsync()).Bid;
            samples.Add(Stopwatch.GetTimestamp() - start);
        }

        return sum;
    }

    private void SetUpRings(WaitStrategyKind kind)
    {
        _samples = new RoundTripSamples();
        _ping = new RingBuffer<PriceLikeSlot>(Capacity, ProducerType.Single, WaitStrategyFactory.Create(kind));
        _pong = new RingBuffer<PriceLikeSlot>(Capacity, ProducerType.Single, WaitStrategyFactory.Create(kind));
        _echo = _ping.CreateProcessor("bench-echo", new EchoHandler(_pong));
        _pongRead = new Sequence();
        _pong.AddGatingSequences(_pongRead);
        _pongBarrier = _pong.NewBarrier();
        _echo.Start();
    }

    private long PingPongRings()
    {
        var ping = _ping!;
        var barrier = _pongBarrier!;
        var pongRead = _pongRead!;
        var pong = _pong!;
        var samples = _samples;
        long sum = 0;
        for (var i = 0; i < RoundTrips; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var sequence = ping.Next();
            ping[sequence].Bid = i;
            ping.Publish(sequence);

            var expected = pongRead.Value + 1;
            while (barrier.WaitFor(expected) < expected)
            {
            }

            sum += pong[expected].Bid;
            pongRead.SetValue(expected);
            samples.Add(Stopwatch.GetTimestamp() - start);
        }

        return sum;
    }

    private static async Task EchoChannelAsync(ChannelReader<PriceLikeSlot> ping, ChannelWriter<PriceLikeSlot> pong)
    {
        while (await ping.WaitToReadAsync())
        {
            while (ping.TryRead(out var item))
            {
                pong.TryWrite(item);
            }
        }
    }
}
