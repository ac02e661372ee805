using System.Net.WebSockets;
using System.Text.Json;
using Edge.EndToEnd.Tests.Sse;
using Edge.EndToEnd.Tests.Support;
using Edge.Protocol.Client;

namespace Edge.EndToEnd.Tests.Sessions;

/// <summary>
/// Token lifetimes on live WebSocket and SSE connections and the token checks at admission, over real sockets with
/// real signed tokens: expiry error before 4001, refresh to a shorter token, one clock-skew rule for admission and
/// session, duplicate JSON members and a future <c>iat</c> refused.
/// </summary>
public sealed class TokenLifetimeTests
{
    [Test]
    public async Task An_expired_token_gets_a_TOKEN_EXPIRED_error_and_then_close_4001()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Auth.ClockSkewSeconds = 0);
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Token(TimeSpan.FromSeconds(4)));
        await client.ReceiveAsync(ServerMessageType.Connected);

        var error = await client.ReceiveAsync(ServerMessageType.Error);
        var close = await client.WaitForCloseAsync();

        Assert.That(error.Code, Is.EqualTo("TOKEN_EXPIRED"));
        Assert.That(error.Id, Is.Null);
        Assert.That((int?)close, Is.EqualTo(4001));
    }

    [Test]
    public async Task Refreshing_to_a_shorter_lived_token_closes_at_the_new_tokens_expiry()
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Auth.ClockSkewSeconds = 0);
        var firstExpiry = DateTimeOffset.UtcNow.AddMinutes(2);
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, edge.Token(TimeSpan.FromMinutes(2)));
        await client.ReceiveAsync(ServerMessageType.Connected);

        await client.SendAuthAsync(edge.Token(TimeSpan.FromSeconds(5)));
        // The refresh was accepted (a refused one closes with 4002 before the pong).
        await client.PingAsync();
        await client.ReceiveAsync(ServerMessageType.Pong);
        var error = await client.ReceiveAsync(ServerMessageType.Error);
        var close = await client.WaitForCloseAsync();

        Assert.That(error.Code, Is.EqualTo("TOKEN_EXPIRED"));
        Assert.That((int?)close, Is.EqualTo(4001));
        Assert.That(DateTimeOffset.UtcNow, Is.LessThan(firstExpiry), "closed at the refreshed token's expiry, not the first token's");
    }

    [Test]
    public async Task A_token_admitted_inside_the_clock_skew_lives_until_exp_plus_skew_on_WebSocket()
    {
        const int Skew = 6;
        await using var edge = await RunningEdge.StartAsync(o => o.Auth.ClockSkewSeconds = Skew);
        var exp = HandMadeToken.In(-2);
        var deadline = DateTimeOffset.FromUnixTimeSeconds(exp + Skew);
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, HandMadeToken.Sign(edge, HandMadeToken.Payload(exp)));
        await client.ReceiveAsync(ServerMessageType.Connected);

        var error = await client.ReceiveAsync(ServerMessageType.Error);
        var errorAt = DateTimeOffset.UtcNow;
        var close = await client.WaitForCloseAsync();

        Assert.That(error.Code, Is.EqualTo("TOKEN_EXPIRED"));
        Assert.That((int?)close, Is.EqualTo(4001));
        Assert.That(errorAt, Is.GreaterThanOrEqualTo(deadline), "the handshake admitted the token until exp + skew, so the session keeps it that long");
    }

    [Test]
    public async Task A_token_admitted_inside_the_clock_skew_lives_until_exp_plus_skew_on_SSE()
    {
        const int Skew = 6;
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.Auth.ClockSkewSeconds = Skew;
            o.Ingest.Symbols = ["EUR/USD"];
        });
        var exp = HandMadeToken.In(-2);
        var deadline = DateTimeOffset.FromUnixTimeSeconds(exp + Skew);
        using var stream = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={HandMadeToken.Sign(edge, HandMadeToken.Payload(exp))}");
        await stream.ReadEventAsync("snapshot");

        var error = await stream.ReadEventAsync("error");
        var errorAt = DateTimeOffset.UtcNow;

        Assert.That(stream.Status, Is.EqualTo(200));
        Assert.That(error.Data, Does.Contain("\"code\":\"TOKEN_EXPIRED\""));
        Assert.That(errorAt, Is.GreaterThanOrEqualTo(deadline), "no 200-then-expired loop: the stream lasts as long as admission allowed");
    }

    [Test]
    public async Task A_token_expired_beyond_the_clock_skew_is_refused_at_the_handshake()
    {
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.Auth.ClockSkewSeconds = 6;
            o.Ingest.Symbols = ["EUR/USD"];
        });
        var token = HandMadeToken.Sign(edge, HandMadeToken.Payload(HandMadeToken.In(-20)));

        var refused = Assert.ThrowsAsync<WebSocketException>(async () => await MarketDataClient.ConnectAsync(edge.EndPoint, token));
        using var stream = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={token}");

        Assert.That(refused!.Message, Does.Contain("401"));
        Assert.That((stream.Status, ErrorOf(stream)), Is.EqualTo((401, "TOKEN_EXPIRED")));
    }

    [TestCase("""{"alg":"none","alg":"HS256","typ":"JWT","kid":"edge-dev"}""", "", TestName = "Header alg given twice is TOKEN_MALFORMED")]
    [TestCase("""{"alg":"HS256","typ":"JWT","kid":"other","kid":"edge-dev"}""", "", TestName = "Header kid given twice is TOKEN_MALFORMED")]
    [TestCase("""{"alg":"HS256","\u0061lg":"HS256","typ":"JWT","kid":"edge-dev"}""", "", TestName = "Header alg given twice, once escaped, is TOKEN_MALFORMED")]
    [TestCase(HandMadeToken.Header, ""","iss":"someone-else","iss":"edge-tests" """, TestName = "Payload iss given twice is TOKEN_MALFORMED")]
    [TestCase(HandMadeToken.Header, ""","aud":"other","aud":"edge" """, TestName = "Payload aud given twice is TOKEN_MALFORMED")]
    [TestCase(HandMadeToken.Header, ""","ctx":{"role":"viewer","role":"trader"}""", TestName = "A nested member given twice is TOKEN_MALFORMED")]
    public async Task A_token_with_a_duplicate_json_member_is_refused_as_malformed(string header, string extra)
    {
        await using var edge = await RunningEdge.StartAsync(o => o.Ingest.Symbols = ["EUR/USD"]);
        // The duplicate iss/aud come after the ones Payload writes: the last value is the valid one, as an attacker would send.
        var token = HandMadeToken.Sign(edge, header, HandMadeToken.Payload(HandMadeToken.In(300), extra));

        var refused = Assert.ThrowsAsync<WebSocketException>(async () => await MarketDataClient.ConnectAsync(edge.EndPoint, token));
        using var stream = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={token}");

        Assert.That(refused!.Message, Does.Contain("401"));
        Assert.That((stream.Status, ErrorOf(stream)), Is.EqualTo((401, "TOKEN_MALFORMED")));
    }

    [Test]
    public async Task The_same_token_without_the_duplicate_is_accepted()
    {
        await using var edge = await RunningEdge.StartAsync();
        var token = HandMadeToken.Sign(edge, HandMadeToken.Payload(HandMadeToken.In(300), ""","ctx":{"role":"trader"},"list":[{"a":1},{"a":2}]"""));

        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, token);

        Assert.That((await client.ReceiveAsync(ServerMessageType.Connected)).Type, Is.EqualTo(ServerMessageType.Connected));
    }

    [Test]
    public async Task A_token_issued_in_the_future_beyond_the_skew_is_refused_and_within_the_skew_accepted()
    {
        await using var edge = await RunningEdge.StartAsync(o =>
        {
            o.Auth.ClockSkewSeconds = 30;
            o.Ingest.Symbols = ["EUR/USD"];
        });
        var tenYearsAhead = HandMadeToken.Sign(edge, HandMadeToken.Payload(HandMadeToken.In(11 * 365 * 86400), $",\"iat\":{HandMadeToken.In(10 * 365 * 86400)}"));
        var aMinuteAhead = HandMadeToken.Sign(edge, HandMadeToken.Payload(HandMadeToken.In(300), $",\"iat\":{HandMadeToken.In(60)}"));
        var withinSkew = HandMadeToken.Sign(edge, HandMadeToken.Payload(HandMadeToken.In(300), $",\"iat\":{HandMadeToken.In(5)}"));

        using var farAhead = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={tenYearsAhead}");
        using var minuteAhead = await SseStream.OpenAsync(edge.EndPoint, $"/market-data/stream?symbols=EUR/USD&token={aMinuteAhead}");
        var refused = Assert.ThrowsAsync<WebSocketException>(async () => await MarketDataClient.ConnectAsync(edge.EndPoint, tenYearsAhead));
        using var client = await MarketDataClient.ConnectAsync(edge.EndPoint, withinSkew);

        Assert.That((farAhead.Status, ErrorOf(farAhead)), Is.EqualTo((401, "TOKEN_NOT_YET_VALID")));
        Assert.That((minuteAhead.Status, ErrorOf(minuteAhead)), Is.EqualTo((401, "TOKEN_NOT_YET_VALID")));
        Assert.That(refused!.Message, Does.Contain("401"));
        Assert.That((await client.ReceiveAsync(ServerMessageType.Connected)).Type, Is.EqualTo(ServerMessageType.Connected));
    }

    private static string? ErrorOf(SseStream stream)
    {
        using var json = JsonDocument.Parse(stream.Body);
        return json.RootElement.GetProperty("error").GetString();
    }
}
