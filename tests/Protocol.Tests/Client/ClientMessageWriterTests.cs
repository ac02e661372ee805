using System.Buffers;
using System.Text;
using Edge.Protocol.Client;
using Edge.Protocol.WebSockets;

namespace Edge.Protocol.Tests.Client;

public sealed class ClientMessageWriterTests
{
    public static IEnumerable<TestCaseData> Messages()
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

    [TestCaseSource(nameof(Messages))]
    public void Writes_the_documented_MessagePack(string messagePackHex, string json, Action<IBufferWriter<byte>, ClientEncoding> write)
    {
        var output = new ArrayBufferWriter<byte>();

        write(output, ClientEncoding.MessagePack);

        Assert.That(Hex.Spaced(output.WrittenSpan), Is.EqualTo(Hex.Spaced(Hex.Bytes(messagePackHex))));
    }

    [TestCaseSource(nameof(Messages))]
    public void Writes_the_documented_JSON(string messagePackHex, string json, Action<IBufferWriter<byte>, ClientEncoding> write)
    {
        var output = new ArrayBufferWriter<byte>();

        write(output, ClientEncoding.Json);

        Assert.That(Encoding.UTF8.GetString(output.WrittenSpan), Is.EqualTo(json));
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

    private static TestCaseData Case(string name, string messagePackHex, string json, Action<IBufferWriter<byte>, ClientEncoding> write) =>
        new TestCaseData(messagePackHex, json, write).SetArgDisplayNames(name);
}
