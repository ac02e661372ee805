using System.Diagnostics;
using System.Net;
using System.Text;
using Edge.Ingest.Aeron;
using Edge.Protocol;
using Edge.Protocol.Ingest;

namespace Edge.Perf.Feed;

/// <summary>
/// The upstream side of a run: Edge's own <see cref="AeronPublisher"/> sending ingest price messages over loopback
/// UDP at a paced rate, each stamped with <see cref="PerfClock.NowNs"/> in its <c>timestamp</c> field (the field
/// Edge carries through to the client's price message) and a per-symbol sequence. For the reference server the same
/// messages go out in plain UDP datagrams instead (<see cref="UdpIngestSender"/>).
/// </summary>
/// <remarks>Pacing is per millisecond: the thread sends what is due, then sleeps ≈ 1 ms, so updates leave in small
/// bursts of R/1000. When the thread falls more than 100 ms behind it drops the backlog (counted in
/// <see cref="Dropped"/>) rather than bursting it.</remarks>
internal sealed class PriceFeed : IDisposable
{
    private readonly AeronPublisher? _publisher;
    private readonly UdpIngestSender? _udp;
    private readonly byte[][] _symbols;
    private readonly ulong[] _sequences;
    private readonly SymbolPicker _picker;
    private readonly byte[] _message = new byte[IngestSchema.MaxMessageLength];
    private readonly byte[] _bidSource = "PERF"u8.ToArray();
    private readonly byte[] _askSource = "PERF2"u8.ToArray();
    private Thread? _thread;
    private volatile bool _stop;
    private double _rate;
    private int[] _subscribers;
    private long _published;
    private long _expected;
    private long _backPressured;
    private long _dropped;
    private volatile bool _paused = true;
    private int _rateGeneration;

    /// <summary>An Aeron feed (Edge): unicast to <paramref name="ingest"/>, or on <paramref name="channel"/> (multicast, dynamic MDC) when given.</summary>
    public PriceFeed(IPEndPoint ingest, string? channel, int streamId, int symbolCount, SymbolPopularity popularity, double zipfExponent, int seed)
        : this(symbolCount, popularity, zipfExponent, seed)
    {
        var options = new AeronPublisherOptions { Destination = ingest, TermLength = 16 * 1024 * 1024 };
        if (channel is not null)
        {
            // The channel's term-length, if it gives one, wins.
            options.ApplyChannel(AeronChannel.Parse(channel, AeronChannelUse.Publication));
        }

        options.StreamId = streamId;
        options.ThreadName = "perf-aeron-publisher";
        _publisher = new AeronPublisher(options);
    }

    /// <summary>A plain-UDP feed (the reference server).</summary>
    public PriceFeed(IPEndPoint ingest, UdpBatching batching, int symbolCount, SymbolPopularity popularity, double zipfExponent, int seed)
        : this(symbolCount, popularity, zipfExponent, seed)
    {
        _udp = new UdpIngestSender(ingest, batching);
    }

    private PriceFeed(int symbolCount, SymbolPopularity popularity, double zipfExponent, int seed)
    {
        _symbols = new byte[symbolCount][];
        for (var i = 0; i < symbolCount; i++)
        {
            _symbols[i] = Encoding.ASCII.GetBytes(SymbolName(i));
        }

        _sequences = new ulong[symbolCount];
        _subscribers = new int[symbolCount];
        _picker = new SymbolPicker(symbolCount, popularity, zipfExponent, seed);
    }

    public int SymbolCount => _symbols.Length;

    public long Published => Volatile.Read(ref _published);

    /// <summary>Sum over published updates of the symbol's subscriber count (see <see cref="SetSubscribers"/>).</summary>
    public long ExpectedDeliveries => Volatile.Read(ref _expected);

    public long BackPressured => Volatile.Read(ref _backPressured);

    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Plain-UDP feed only: datagrams sent.</summary>
    public long Datagrams => _udp?.Datagrams ?? 0;

    public static string SymbolName(int index) => "S" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The last sequence published for a symbol (0: none). Read after <see cref="Pause"/> for the final check.</summary>
    public ulong LastSequence(int symbol) => Volatile.Read(ref _sequences[symbol]);

    public bool WaitConnected(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        // Plain UDP has no connection; Aeron is connected once the receiver's status message came.
        while (_publisher is { IsConnected: false })
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            Thread.Sleep(5);
        }

        return true;
    }

    /// <summary>One update for every symbol, so Edge knows them all before clients subscribe.</summary>
    public void Prime()
    {
        for (var i = 0; i < _symbols.Length; i++)
        {
            PublishOne(i);
        }

        _udp?.Flush();
    }

    public void SetSubscribers(int[] subscribersPerSymbol) => Volatile.Write(ref _subscribers, subscribersPerSymbol);

    /// <summary>Starts (or changes) the paced feed at <paramref name="updatesPerSecond"/>.</summary>
    public void Run(double updatesPerSecond)
    {
        Volatile.Write(ref _rate, updatesPerSecond);
        Interlocked.Increment(ref _rateGeneration);
        _paused = false;
        if (_thread is null)
        {
            _thread = new Thread(Pace) { Name = "perf-feed", IsBackground = true };
            _thread.Start();
        }
    }

    public void Pause() => _paused = true;

    public void Dispose()
    {
        _stop = true;
        _thread?.Join(TimeSpan.FromSeconds(5));
        _publisher?.Dispose();
        _udp?.Dispose();
    }

    private void Pace()
    {
        var generation = -1;
        long start = 0;
        long sent = 0;
        while (!_stop)
        {
            if (_paused)
            {
                Thread.Sleep(1);
                generation = -1;
                continue;
            }

            var currentGeneration = Volatile.Read(ref _rateGeneration);
            if (currentGeneration != generation)
            {
                generation = currentGeneration;
                start = Stopwatch.GetTimestamp();
                sent = 0;
            }

            var rate = Volatile.Read(ref _rate);
            var due = (long)((Stopwatch.GetTimestamp() - start) * rate / Stopwatch.Frequency) - sent;
            if (due <= 0)
            {
                Thread.Sleep(1);
                continue;
            }

            var backlogLimit = Math.Max(1, (long)(rate / 10));
            if (due > backlogLimit)
            {
                Interlocked.Add(ref _dropped, due - backlogLimit);
                sent += due - backlogLimit;
                due = backlogLimit;
            }

            for (var i = 0; i < due && !_paused; i++)
            {
                PublishOne(_picker.Next());
                sent++;
            }

            _udp?.Flush();
        }
    }

    private void PublishOne(int symbol)
    {
        var sequence = _sequences[symbol] + 1;
        var bid = 100.0 + ((sequence % 100) * 0.01);
        var quote = new Quote(bid, 1_000_000, bid + 0.01, 1_500_000, PerfClock.NowNs(), sequence);
        var length = IngestPriceEncoder.Encode(_message, _symbols[symbol], _bidSource, _askSource, quote);
        if (_udp is not null)
        {
            _udp.Add(_message.AsSpan(0, length));
            CountPublished(symbol, sequence);
            return;
        }

        var attempts = 0;
        while (true)
        {
            var result = _publisher!.Offer(_message.AsSpan(0, length));
            if (result == AeronOfferResult.Success)
            {
                break;
            }

            if (result is AeronOfferResult.Closed or AeronOfferResult.MessageTooLarge || _stop)
            {
                return;
            }

            // Edge's ingest is full (or not caught up): wait without spinning, which would take the CPU the
            // tool's client loop needs to drain Edge, the usual cause of the back-pressure on a shared core.
            Interlocked.Increment(ref _backPressured);
            if (++attempts < 4)
            {
                Thread.Yield();
            }
            else
            {
                Thread.Sleep(1);
            }
        }

        CountPublished(symbol, sequence);
    }

    private void CountPublished(int symbol, ulong sequence)
    {
        Volatile.Write(ref _sequences[symbol], sequence);
        Interlocked.Add(ref _expected, Volatile.Read(ref _subscribers)[symbol]);
        Interlocked.Increment(ref _published);
    }
}
