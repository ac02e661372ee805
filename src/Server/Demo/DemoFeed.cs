using System.Diagnostics;
using Edge.Ingest.Aeron;
using Edge.Protocol;
using Edge.Protocol.Ingest;

namespace Edge.Server.Demo;

/// <summary>
/// A simulated price engine: a random walk over realistic FX, crypto and equity instruments, published with
/// Edge's own Aeron publisher over loopback UDP to Edge's receiver, so the demo goes through the real path.
/// One background thread that sleeps between ticks.
/// </summary>
public sealed class DemoFeed : IDisposable
{
    private static readonly string[] Venues = ["LP1", "LP2", "LP3", "LP4"];

    private readonly DemoFeedOptions _options;
    private readonly AeronPublisher _publisher;
    private readonly Random _random;
    private readonly double[] _mids;
    private readonly ulong[] _sequences;
    private readonly byte[] _message = new byte[IngestSchema.MaxMessageLength];
    private readonly Thread _thread;
    private volatile bool _stopping;
    private long _published;
    private long _dropped;

    public DemoFeed(DemoFeedOptions options, AeronPublisherOptions publisher)
    {
        _options = options;
        _random = options.Seed != 0 ? new Random(options.Seed) : new Random();
        publisher.ThreadName = "demo-publisher";
        _publisher = new AeronPublisher(publisher);
        var instruments = DemoInstruments.All;
        _mids = new double[instruments.Count];
        _sequences = new ulong[instruments.Count];
        for (var i = 0; i < instruments.Count; i++)
        {
            _mids[i] = instruments[i].StartMid;
        }

        _thread = new Thread(Run) { Name = "demo-feed", IsBackground = true };
    }

    public long Published => Interlocked.Read(ref _published);

    /// <summary>Updates not sent because the publisher was not connected or was back-pressured.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public bool IsConnected => _publisher.IsConnected;

    public void Start() => _thread.Start();

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }

        _publisher.Dispose();
    }

    private void Run()
    {
        var ticksPerUpdate = (double)Stopwatch.Frequency / _options.UpdatesPerSecond;
        var start = Stopwatch.GetTimestamp();
        long sent = 0;
        while (!_stopping)
        {
            // Catch up to the schedule, then sleep: smooth on average, no spinning.
            var due = (long)((Stopwatch.GetTimestamp() - start) / ticksPerUpdate);
            while (sent < due && !_stopping)
            {
                PublishOne();
                sent++;
            }

            Thread.Sleep(1);
        }
    }

    private void PublishOne()
    {
        var instruments = DemoInstruments.All;
        var index = _random.Next(instruments.Count);
        var instrument = instruments[index];
        var mid = _mids[index] + (Gaussian() * instrument.Volatility);
        // Mean-revert gently so a long demo stays near realistic levels.
        mid += (instrument.StartMid - mid) * 0.001;
        mid = Math.Max(mid, instrument.Spread * 2);
        _mids[index] = mid;
        var halfSpread = instrument.Spread * (0.5 + (_random.NextDouble() * 0.5));
        var bid = Math.Round(mid - halfSpread, instrument.Decimals);
        var ask = Math.Round(mid + halfSpread, instrument.Decimals);
        if (ask <= bid)
        {
            ask = bid + Math.Pow(10, -instrument.Decimals);
        }

        var bidSize = Math.Round(instrument.TypicalSize * (0.2 + (_random.NextDouble() * 1.8)));
        var askSize = Math.Round(instrument.TypicalSize * (0.2 + (_random.NextDouble() * 1.8)));
        var timestamp = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) * 100;
        var quote = new Quote(bid, bidSize, ask, askSize, timestamp, ++_sequences[index]);
        var length = IngestPriceEncoder.Encode(_message, instrument.Symbol, Venues[_random.Next(Venues.Length)], Venues[_random.Next(Venues.Length)], quote);
        if (_publisher.Offer(_message.AsSpan(0, length)) == AeronOfferResult.Success)
        {
            Interlocked.Increment(ref _published);
        }
        else
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    private double Gaussian()
    {
        // Box-Muller: one normal sample from two uniforms.
        var u1 = 1.0 - _random.NextDouble();
        var u2 = _random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
