using Edge.Protocol.WebSockets;

namespace Edge.EndToEnd.Tests.WebSockets;

/// <summary>
/// One replayed Autobahn fuzzingclient case: the writes the client makes (each its own socket write, so chopped
/// cases arrive chopped), the messages and pongs the server must answer with, and how it must close: with
/// <see cref="CloseCode"/>, after the client's own close 1000 when <see cref="AppendClose"/>.
/// </summary>
public sealed record AutobahnCase(string Id, byte[][] Writes, (WebSocketOpcode Opcode, byte[] Payload)[] Expected, int CloseCode, bool AppendClose)
{
    public override string ToString() => Id;
}
