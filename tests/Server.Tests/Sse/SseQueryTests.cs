using Edge.Server.Sse;

namespace Edge.Server.Tests.Sse;

public sealed class SseQueryTests
{
    [Test]
    public void Symbols_are_split_percent_decoded_and_deduplicated_in_order()
    {
        var refusal = SseQuery.TryParse("symbols=EUR/USD,BTC%2FUSD,EUR%2FUSD&maxRate=5&token=x.y.z&_=123", 10, out var query);

        Assert.That(refusal, Is.Null);
        Assert.That(query!.Symbols, Is.EqualTo(new[] { "EUR/USD", "BTC/USD" }));
        Assert.That(query.MaxRate, Is.EqualTo(5));
        Assert.That(query.LastEventId, Is.Null);
    }

    [TestCase("", "INVALID_SYMBOL")]
    [TestCase("symbols", "INVALID_SYMBOL")]
    [TestCase("symbols=A,", "INVALID_SYMBOL")]
    [TestCase("symbols=%00", "INVALID_SYMBOL")]
    [TestCase("symbols=A&symbols=B", "INVALID_QUERY")]
    [TestCase("symbols=A&maxRate=", "INVALID_MAX_RATE")]
    [TestCase("symbols=A&maxRate=+5", "INVALID_MAX_RATE")]
    [TestCase("symbols=A&maxRate=1e3", "INVALID_MAX_RATE")]
    [TestCase("symbols=A&maxRate=2147483648", "INVALID_MAX_RATE")]
    [TestCase("symbols=A&maxRate=1&maxRate=2", "INVALID_QUERY")]
    [TestCase("symbols=A&lastEventId=", "INVALID_LAST_EVENT_ID")]
    [TestCase("symbols=A&lastEventId=123456789012345678901", "INVALID_LAST_EVENT_ID")]
    [TestCase("symbols=A,B,C", "TOO_MANY_SYMBOLS")]
    public void Bad_queries_are_400_with_a_code(string text, string code)
    {
        var refusal = SseQuery.TryParse(text, 2, out var query);

        Assert.That(query, Is.Null);
        Assert.That(refusal!.Status, Is.EqualTo(400));
        Assert.That(refusal.Code, Is.EqualTo(code));
    }

    [TestCase("0", true)]
    [TestCase("18446744073709551615", true)]
    [TestCase("-1", false)]
    [TestCase("12a", false)]
    [TestCase("", false)]
    public void Event_ids_are_decimal_sequences(string id, bool valid) => Assert.That(SseQuery.IsEventId(id), Is.EqualTo(valid));

    [Test]
    public void A_percent_encoded_value_that_is_not_utf8_does_not_throw()
    {
        var refusal = SseQuery.TryParse("symbols=%FF%FE,%", 10, out var query);

        // Left as typed (the table knows no such symbol: the endpoint answers UNKNOWN_SYMBOL).
        Assert.That(refusal, Is.Null);
        Assert.That(query!.Symbols, Has.Count.EqualTo(2));
    }
}
