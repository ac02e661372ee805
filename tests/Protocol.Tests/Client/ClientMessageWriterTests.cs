using static Edge.Protocol.Tests.Client.MessageWriterVectorTests;

namespace Edge.Protocol.Tests.Client;

public sealed class ClientMessageWriterTests
{
    /// <summary>This writer's documented messages, run by <see cref="MessageWriterVectorTests"/>.</summary>
    internal static IEnumerable<TestCaseData> DocumentedMessages()
    {
        yield return Case("subscribe", ClientGoldenVectors.SubscribeMessagePack, ClientGoldenVectors.SubscribeJson,
            (o, e) => ClientMessageWriter.WriteSubscribe(o, e, 1, ["EURUSD", "GBPUSD"], maxRate: 10));
        yield return Case("unsubscribe", ClientGoldenVectors.UnsubscribeMessagePack, ClientGoldenVectors.UnsubscribeJson,
            (o, e) => ClientMessageWriter.WriteUnsubscribe(o, e, 2, ["EURUSD"]));
        yield return Case("ping", ClientGoldenVectors.PingMessagePack, ClientGoldenVectors.PingJson,
            (o, e) => ClientMessageWriter.WritePing(o, e, 3));
        yield return Case("auth", ClientGoldenVectors.AuthMessagePack, ClientGoldenVectors.AuthJson,
            (o, e) => ClientMessageWriter.WriteAuth(o, e, "eyJhbGciOiJIUzI1NiJ9.e30.c2ln"));
    }

    [Test]
    public void A_masked_client_frame_goes_through_the_server_side_helpers()
    {
        var payload = new ArrayBufferWriter<byte>();
        ClientMessageWriter.WriteSubscribe(payload, ClientEncoding.Json, 9, ["EURUSD"]);
        var frame = new byte[WebSocketFrame.MaxHeaderLength + payload.WrittenCount];
        var header = WebSocketFrame.WriteMaskedHeader(frame, WebSocketOpcode.Text, payload.WrittenCount, 0xa1b2c3d4);
        payload.WrittenSpan.CopyTo(frame.AsSpan(header));
        WebSocketMask.Apply(frame.AsSpan(header, payload.WrittenCount), 0xa1b2c3d4);

        Assert.That(WebSocketFrame.TryReadHeader(frame, expectMasked: true, out var parsed), Is.EqualTo(WebSocketFrameHeaderStatus.Ok));
        var received = frame.AsSpan(parsed.HeaderLength, (int)parsed.PayloadLength).ToArray();
        WebSocketMask.Apply(received, parsed.MaskKey);
        var validator = default(Utf8StreamValidator);
        Assert.That(validator.Append(received, isFinal: true), Is.True);
        Assert.That(ClientCommandDecoder.TryDecodeJson(received, ClientCommandLimits.Default, out var command, out _), Is.True);
        Assert.That((command!.Type, command.Id, command.Symbols.Single()), Is.EqualTo((ClientCommandType.Subscribe, (long?)9, "EURUSD")));
    }
}
