using Edge.Client.Tests.Support;
using Edge.EndToEnd.Tests.Support;
using Edge.Protocol.Client;

namespace Edge.Client.Tests;

/// <summary>How the SDK meets the server's refusals and symbols with no price yet, against a real in-process Edge.</summary>
public sealed class RefusalTests
{
    [TestCase(ClientEncoding.MessagePack)]
    [TestCase(ClientEncoding.Json)]
    public async Task A_rate_limited_subscribe_fails_at_once_with_RATE_LIMITED_not_a_timeout(ClientEncoding encoding)
    {
        // The default burst (150); the refill is slowed so a loaded machine cannot earn the 151st a token.
        await using var edge = await RunningEdge.StartAsync(o => o.Tenancy.Default.CommandsPerSecond = 0.001);
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("EUR/USD", 1.0851, 1.0853, 1);
        await edge.WaitForSymbolAsync("EUR/USD");
        // A request timeout far beyond the test's own wait: only the server's refusal can end the 151st in time.
        await using var client = new MarketDataClient(new MarketDataClientOptions
        {
            Url = edge.Url,
            Token = edge.Token(),
            Encoding = encoding,
            RequestTimeout = TimeSpan.FromMinutes(10),
        });
        await client.ConnectAsync();
        for (var i = 0; i < 150; i++)
        {
            await client.SubscribeAsync(["EUR/USD"]);
        }

        var refused = client.SubscribeAsync(["EUR/USD"]);
        var finished = await Task.WhenAny(refused, Task.Delay(Wait.Timeout));

        Assert.That(finished, Is.SameAs(refused), "the refusal ends the request (the SDK matched it by id)");
        var error = Assert.ThrowsAsync<MarketDataException>(async () => await refused);
        Assert.That(error!.Code, Is.EqualTo("RATE_LIMITED"));
        Assert.That(client.IsConnected, Is.True);
    }

    [TestCase(ClientEncoding.MessagePack)]
    [TestCase(ClientEncoding.Json)]
    public async Task A_symbol_with_no_price_yet_is_subscribed_and_its_first_price_arrives(ClientEncoding encoding)
    {
        await using var edge = await RunningEdge.StartAsync();
        await using var client = new MarketDataClient(new MarketDataClientOptions { Url = edge.Url, Token = edge.Token(), Encoding = encoding });
        await client.ConnectAsync();
        using var prices = client.Prices("NEW/ISSUE");

        var ack = await client.SubscribeAsync(["NEW/ISSUE"]);
        using var feed = new UpstreamFeed(edge.Host.IngestEndPoint);
        feed.Publish("NEW/ISSUE", 10.5, 10.6, 1);
        using var timeout = new CancellationTokenSource(Wait.Timeout);
        var first = await prices.ReadAsync(timeout.Token);

        Assert.That(ack.Subscribed, Is.EqualTo(new[] { "NEW/ISSUE" }));
        Assert.That(ack.Errors, Is.Empty);
        Assert.That(first.Sequence, Is.EqualTo(1UL), "nothing before the first price (the empty snapshot delivers none)");
        Assert.That(first.Bid.Price, Is.EqualTo(10.5));
    }
}
