using System.Globalization;
using System.Text;
using Edge.Ingest.Aeron;
using Edge.Protocol;
using Edge.Protocol.Ingest;

namespace Edge.EndToEnd.Tests.Cluster;

/// <summary>
/// The upstream of the cluster: rounds of prices (every symbol once, its sequence one higher), offered to every
/// publication of the stream, paced by its own thread. A publication that is not connected or back-pressured
/// skips that price (counted), as a publisher must never wait for one slow receiver; the rest get it.
/// </summary>
internal sealed class ClusterPublisher : IDisposable
{
    private readonly IReadOnlyList<AeronPublisher> _publications;
    private readonly IReadOnlyList<string> _symbols;
    private readonly TimeSpan _interval;
    private readonly ulong[] _sequences;
    private readonly long[] _skipped;
    private readonly byte[] _message = new byte[IngestSchema.MaxMessageLength];
    private readonly Lock _lock = new();
    private readonly ManualResetEventSlim _stopping = new(false);
    private readonly Thread _thread;
    private long _rounds;
    private bool _paused;

    public ClusterPublisher(IReadOnlyList<AeronPublisher> publications, IReadOnlyList<string> symbols, int roundsPerSecond)
    {
        _publications = publications;
        _symbols = symbols;
        _interval = TimeSpan.FromSeconds(1.0 / roundsPerSecond);
        _sequences = new ulong[symbols.Count];
        _skipped = new long[publications.Count];
        _thread = new Thread(Run) { Name = "cluster-publisher", IsBackground = true };
    }

    /// <summary>What stopped the pacing thread, if anything did.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Rounds published so far.</summary>
    public long Rounds => Interlocked.Read(ref _rounds);

    public void Start() => _thread.Start();

    /// <summary>No more rounds from the pacing thread once this returns (a round in progress completes first).</summary>
    public void Pause()
    {
        lock (_lock)
        {
            _paused = true;
        }
    }

    public void Resume()
    {
        lock (_lock)
        {
            _paused = false;
        }
    }

    /// <summary>Publishes one round now and returns every symbol's sequence after it (the publisher's last values).</summary>
    public IReadOnlyDictionary<string, ulong> PublishRound()
    {
        lock (_lock)
        {
            PublishRoundLocked();
            var last = new Dictionary<string, ulong>();
            for (var i = 0; i < _symbols.Count; i++)
            {
                last[_symbols[i]] = _sequences[i];
            }

            return last;
        }
    }

    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"publisher: {Rounds} rounds of {_symbols.Count} symbols");
        if (Failure is not null)
        {
            text.Append("; FAILED: ").Append(Failure.Message);
        }

        for (var i = 0; i < _publications.Count; i++)
        {
            var publication = _publications[i];
            text.Append(CultureInfo.InvariantCulture,
                $"; publication {i}: connected={publication.IsConnected} position={publication.Position} sent={publication.SenderPosition} skipped={Interlocked.Read(ref _skipped[i])}");
        }

        return text.ToString();
    }

    public void Dispose()
    {
        _stopping.Set();
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        _stopping.Dispose();
    }

    private void Run()
    {
        try
        {
            // Pacing the feed, not waiting for a condition: the stop signal ends the wait early.
            while (!_stopping.Wait(_interval))
            {
                lock (_lock)
                {
                    if (!_paused)
                    {
                        PublishRoundLocked();
                    }
                }
            }
        }
        catch (Exception e)
        {
            Failure = e;
        }
    }

    private void PublishRoundLocked()
    {
        for (var i = 0; i < _symbols.Count; i++)
        {
            var sequence = ++_sequences[i];
            var quote = new Quote(ClusterPrice.Bid(i, sequence), 1_000_000, ClusterPrice.Ask(i, sequence), 2_000_000,
                1_700_000_000_000_000_000 + (long)sequence, sequence);
            var length = IngestPriceEncoder.Encode(_message, _symbols[i], "LP1", "LP2", quote);
            for (var p = 0; p < _publications.Count; p++)
            {
                var result = _publications[p].Offer(_message.AsSpan(0, length));
                if (result is AeronOfferResult.NotConnected or AeronOfferResult.BackPressured)
                {
                    Interlocked.Increment(ref _skipped[p]);
                }
                else if (result != AeronOfferResult.Success)
                {
                    throw new InvalidOperationException($"offer to publication {p} failed: {result}");
                }
            }
        }

        Interlocked.Increment(ref _rounds);
    }
}
