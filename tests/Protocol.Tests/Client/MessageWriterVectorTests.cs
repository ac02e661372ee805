namespace Edge.Protocol.Tests.Client;

/// <summary>
/// The client's and the server's message writers against the vectors protocol.md documents
/// (<see cref="ClientGoldenVectors"/>): the same bytes in MessagePack, the same text in JSON. The cases are listed
/// beside each writer's other tests.
/// </summary>
public sealed class MessageWriterVectorTests
{
    public static IEnumerable<TestCaseData> Messages() =>
        [.. ClientMessageWriterTests.DocumentedMessages(), .. ServerMessageWriterTests.DocumentedMessages()];

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

    /// <summary>One documented message: its name, both encodings and the writer call that should produce them.</summary>
    internal static TestCaseData Case(string name, string messagePackHex, string json, Action<IBufferWriter<byte>, ClientEncoding> write) =>
        new TestCaseData(messagePackHex, json, write).SetArgDisplayNames(name);
}
