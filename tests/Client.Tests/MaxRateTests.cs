using System.Collections.Concurrent;
using Edge.Client.Tests.Support;
using Edge.EndToEnd.Tests.Support;

namespace Edge.Client.Tests;

/// <summary>
/// <c>SubscribeAsync(symbols, maxRate)</c> against a real in-process Edge: the server conflates the limited symbol
/// (latest wins, the final price arrives) while an unlimited one gets every update, and the rate is sent again
/// when the client resubscribes after a restart.
/// </summary>
public sealed class MaxRateTests
{
    private const int Updates = 300;

    [Test]
    public async Task A_max_rate_subscription_is_conflated_and_ends_on_the_final_price_while_an_unlimited_one_is_not()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Ingest.Symbols = ["ETH/USD", "BTC/USD"]);
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        await using var client = new MarketDataClient(new MarketDataClientOptions { Url = edge.Url, Token = edge.Token() });
        await client.ConnectAsync();
        var limited = new Counter(client, "ETH/USD");
        var unlimited = new Counter(client, "BTC/USD");

        var limitedAck = await client.SubscribeAsync(["ETH/USD"], maxRate: 2);
        var unlimitedAck = await client.SubscribeAsync(["BTC/USD"]);
        for (var i = 1; i <= Updates; i++)
        {
            feed.Publish("ETH/USD", 3000 + i, 3001 + i, (ulong)i);
            feed.Publish("BTC/USD", 60000 + i, 60001 + i, (ulong)i);
        }

        await Wait.UntilAsync(() => limited.Last == Updates && unlimited.Last == Updates, "both symbols' final prices arrived");

        Assert.That(limitedAck.Subscribed, Is.EqualTo(new[] { "ETH/USD" }));
        Assert.That(unlimitedAck.Subscribed, Is.EqualTo(new[] { "BTC/USD" }));
        Assert.That(limited.Count, Is.LessThan(Updates / 4), "ETH/USD was conflated to about 2 updates/s");
        Assert.That(unlimited.Count, Is.GreaterThan(Updates / 2), "BTC/USD had no limit");
        Assert.That(limited.OutOfOrder, Is.Zero);
    }

    [Test]
    public async Task The_max_rate_is_sent_again_when_the_client_resubscribes_after_a_restart()
    {
        var first = await RunningEdge.StartAsync(o => o.Ingest.Symbols = ["ETH/USD"]);
        var port = first.EndPoint.Port;
        var secret = first.Tokens.SecretBase64;
        RunningEdge? second = null;
        try
        {
            await using var client = new MarketDataClient(new MarketDataClientOptions
            {
                Url = first.Url,
                Token = first.Token(TimeSpan.FromMinutes(10)),
                ReconnectBaseDelay = TimeSpan.FromMilliseconds(50),
                MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
                MaxReconnectAttempts = 0,
            });
            var events = new ClientEvents(client);
            await client.ConnectAsync();
            var limited = new Counter(client, "ETH/USD");
            await client.SubscribeAsync(["ETH/USD"], maxRate: 2);

            await first.DisposeAsync();
            await Wait.UntilAsync(() => !events.Disconnects.IsEmpty, "the client saw the connection end");
            second = await RunningEdge.StartAsync(o => o.Ingest.Symbols = ["ETH/USD"], port, secret);
            using var feed = new UpstreamFeed(second.Host.IngestEndPoint);
            await Wait.UntilAsync(() => events.ConnectedCount >= 2, "the client reconnected");

            // Resubscribed once a price gets through (publish until one does), then a burst.
            ulong sequence = 0;
            await Wait.UntilAsync(
                () =>
                {
                    if (limited.Last == 0)
                    {
                        feed.Publish("ETH/USD", 3000, 3001, ++sequence);
                    }

                    return limited.Last != 0;
                },
                "a price after the resubscribe");
            var before = limited.Count;
            var final = sequence + Updates;
            for (var s = sequence + 1; s <= final; s++)
            {
                feed.Publish("ETH/USD", 3000 + s, 3001 + s, s);
            }

            await Wait.UntilAsync(() => limited.Last == final, "the final price after the restart");

            Assert.That(limited.Count - before, Is.LessThan(Updates / 4), "still conflated: the resubscribe carried maxRate");
            Assert.That(events.Disconnects.First().WillReconnect, Is.True, events.Describe());
        }
        finally
        {
            await first.DisposeAsync();
            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }

    [TestCase(0)]
    [TestCase(-5)]
    public async Task A_max_rate_below_1_is_refused_before_anything_is_sent(int maxRate)
    {
        await using var client = new MarketDataClient(new MarketDataClientOptions { Url = new Uri("ws://127.0.0.1:9/market-data"), Token = "t" });

        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.SubscribeAsync(["ETH/USD"], maxRate));
    }

    /// <summary>Counts a symbol's prices from a callback and remembers the last sequence.</summary>
    private sealed class Counter
    {
        private readonly ConcurrentQueue<ulong> _sequences = new();

        public Counter(MarketDataClient client, string symbol) => client.OnPrice(symbol, p => _sequences.Enqueue(p.Sequence));

        public int Count => _sequences.Count;

        public ulong Last => _sequences.LastOrDefault();

        public int OutOfOrder => _sequences.Zip(_sequences.Skip(1)).Count(pair => pair.Second <= pair.First);
    }
}
