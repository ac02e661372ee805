using System.Buffers;

namespace Edge.Protocol.Client;

/// <summary>
/// Writes client-to-server messages (subscribe, unsubscribe, ping, auth) as a payload, for
/// clients: the .NET SDK, end-to-end tests, the capacity harness. A client frames it masked:
/// <see cref="WebSockets.WebSocketFrame.WriteMaskedHeader"/> then <see cref="WebSockets.WebSocketMask.Apply"/>.
/// Each shape is written once (<see cref="IWireMessage"/>) for both encodings, as the server's messages are.
/// </summary>
public static class ClientMessageWriter
{
    /// <summary><c>subscribe</c> {id, symbols, maxRate?}.</summary>
    public static void WriteSubscribe(IBufferWriter<byte> output, ClientEncoding encoding, long id, ReadOnlySpan<string> symbols, int? maxRate = null) =>
        MessageOutput.Write(output, encoding, new SymbolsCommandMessage(WireNames.Subscribe, id, symbols, maxRate));

    /// <summary><c>unsubscribe</c> {id, symbols}.</summary>
    public static void WriteUnsubscribe(IBufferWriter<byte> output, ClientEncoding encoding, long id, ReadOnlySpan<string> symbols) =>
        MessageOutput.Write(output, encoding, new SymbolsCommandMessage(WireNames.Unsubscribe, id, symbols, null));

    /// <summary><c>ping</c> {id}.</summary>
    public static void WritePing(IBufferWriter<byte> output, ClientEncoding encoding, long id) =>
        MessageOutput.Write(output, encoding, new PingMessage(id));

    /// <summary><c>auth</c> {token}: a fresh token for the live connection.</summary>
    public static void WriteAuth(IBufferWriter<byte> output, ClientEncoding encoding, string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        MessageOutput.Write(output, encoding, new AuthMessage(token));
    }
}
