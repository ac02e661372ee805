using static Edge.Protocol.Tests.Client.MessageWriterVectorTests;

namespace Edge.Protocol.Tests.Client;

public sealed class ServerMessageWriterTests
{
    private static readonly ConnectionLimits Limits = new(500, 100, 16384, 20);

    private static readonly BestPrice EurUsd = BestPrice.Create(
        "EURUSD", new PriceLevel(1.0834, 1_000_000, "LMAX"), new PriceLevel(1.0836, 2_500_000, "EBS"), 1700000000123456789, 42);

    private static readonly BestPrice BtcUsd = BestPrice.Create(
        "BTC-USD", new PriceLevel(64000.5, 0.25, "CB"), new PriceLevel(64001, 1.5, "KRKN"), 1700000000223456789, 7);

    private static readonly SymbolError UnknownXauEur = new("XAUEUR", ErrorCode.UnknownSymbol, "not carried by this feed");

    /// <summary>This writer's documented messages, run by <see cref="MessageWriterVectorTests"/>.</summary>
    internal static IEnumerable<TestCaseData> DocumentedMessages()
    {
        yield return Case("connected", ClientGoldenVectors.ConnectedMessagePack, ClientGoldenVectors.ConnectedJson,
            (o, e) => ServerMessageWriter.WriteConnected(o, e, "c-7f3a", 1700000000000000000, 15000, Limits));
        yield return Case("ack", ClientGoldenVectors.AckMessagePack, ClientGoldenVectors.AckJson,
            (o, e) => ServerMessageWriter.WriteAck(o, e, 1, AckKind.Subscribe, ["EURUSD", "GBPUSD"], [UnknownXauEur]));
        yield return Case("ack unsubscribe", ClientGoldenVectors.AckUnsubscribeMessagePack, ClientGoldenVectors.AckUnsubscribeJson,
            (o, e) => ServerMessageWriter.WriteAck(o, e, 2, AckKind.Unsubscribe, ["EURUSD"], []));
        yield return Case("error", ClientGoldenVectors.ErrorMessagePack, ClientGoldenVectors.ErrorJson,
            (o, e) => ServerMessageWriter.WriteError(o, e, 7, ErrorCode.RateLimited, "too many requests"));
        yield return Case("error without id", ClientGoldenVectors.ErrorWithoutIdMessagePack, ClientGoldenVectors.ErrorWithoutIdJson,
            (o, e) => ServerMessageWriter.WriteError(o, e, null, ErrorCode.InvalidMessage, "malformed JSON"));
        yield return Case("heartbeat", ClientGoldenVectors.HeartbeatMessagePack, ClientGoldenVectors.HeartbeatJson,
            (o, e) => ServerMessageWriter.WriteHeartbeat(o, e, 1700000015000000000));
        yield return Case("pong", ClientGoldenVectors.PongMessagePack, ClientGoldenVectors.PongJson,
            (o, e) => ServerMessageWriter.WritePong(o, e, 3, 1700000001000000000));
        yield return Case("status", ClientGoldenVectors.StatusMessagePack, ClientGoldenVectors.StatusJson,
            (o, e) => ServerMessageWriter.WriteStatus(o, e, FeedState.Down, "no data for 5 s"));
        yield return Case("notice", ClientGoldenVectors.NoticeMessagePack, ClientGoldenVectors.NoticeJson,
            (o, e) => ServerMessageWriter.WriteNotice(o, e, "maintenance at 22:00 UTC", 1700000020000000000));
        yield return Case("price", ClientGoldenVectors.EurUsdPriceMessagePack, ClientGoldenVectors.EurUsdPriceJson,
            (o, e) => ServerMessageWriter.WritePrice(o, e, EurUsd));
        yield return Case("snapshot", ClientGoldenVectors.SnapshotMessagePack, ClientGoldenVectors.SnapshotJson,
            (o, e) => ServerMessageWriter.WriteSnapshot(o, e, [EurUsd, BtcUsd]));
    }

    [Test]
    public void Escapes_what_JSON_requires_and_keeps_other_text_as_UTF8()
    {
        var output = new ArrayBufferWriter<byte>();

        ServerMessageWriter.WriteError(output, ClientEncoding.Json, null, ErrorCode.InvalidSymbol, "bad \"symbol\" \\ é\n<&>");

        Assert.That(Encoding.UTF8.GetString(output.WrittenSpan),
            Is.EqualTo("""{"type":"error","code":"INVALID_SYMBOL","message":"bad \"symbol\" \\ é\n<&>"}"""));
    }
}
