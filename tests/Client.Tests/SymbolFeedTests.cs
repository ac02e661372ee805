using System.Threading.Channels;
using Edge.Protocol;

namespace Edge.Client.Tests;

/// <summary>The per-symbol sequence filter: the server never sends an older price, so it is tested here as a unit.</summary>
public sealed class SymbolFeedTests
{
    private static BestPrice Price(ulong sequence) =>
        BestPrice.Create("EUR/USD", new PriceLevel(1.08, 1, "A"), new PriceLevel(1.09, 1, "B"), 1_700_000_000_000_000_000, sequence);

    [Test]
    public void Older_and_repeated_sequences_are_dropped_newer_ones_delivered_to_readers_and_callbacks()
    {
        var feed = new SymbolFeed("EUR/USD");
        var reader = Channel.CreateUnbounded<BestPrice>();
        var called = new List<ulong>();
        feed.Add(reader);
        feed.Add(p => called.Add(p.Sequence));

        var delivered = new[] { 5UL, 3UL, 5UL, 6UL, 4UL, 9UL }.Select(s => feed.TryDeliver(Price(s), null)).ToArray();
        var read = new List<ulong>();
        while (reader.Reader.TryRead(out var p))
        {
            read.Add(p.Sequence);
        }

        Assert.That(delivered, Is.EqualTo(new[] { true, false, false, true, false, true }));
        Assert.That(read, Is.EqualTo(new[] { 5UL, 6UL, 9UL }));
        Assert.That(called, Is.EqualTo(new[] { 5UL, 6UL, 9UL }));
        Assert.That(feed.LastSequence, Is.EqualTo(9UL));
    }

    [Test]
    public void A_throwing_callback_is_reported_and_the_others_still_run()
    {
        var feed = new SymbolFeed("EUR/USD");
        var errors = new List<Exception>();
        var called = 0;
        feed.Add(_ => throw new InvalidOperationException("boom"));
        feed.Add(_ => called++);

        feed.TryDeliver(Price(1), errors.Add);

        Assert.That(called, Is.EqualTo(1));
        Assert.That(errors.Single().Message, Is.EqualTo("boom"));
    }

    [Test]
    public void A_removed_callback_is_not_called_again()
    {
        var feed = new SymbolFeed("EUR/USD");
        var called = 0;
        void Callback(BestPrice p) => called++;
        feed.Add(Callback);
        feed.TryDeliver(Price(1), null);

        Assert.That(feed.Remove(Callback), Is.True);
        feed.TryDeliver(Price(2), null);

        Assert.That(called, Is.EqualTo(1));
    }
}
