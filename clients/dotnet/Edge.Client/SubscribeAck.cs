using Edge.Protocol.Client;

namespace Edge.Client;

/// <summary>The server's answer to a subscribe: the symbols now subscribed and the ones refused (with a reason code).</summary>
public sealed record SubscribeAck(IReadOnlyList<string> Subscribed, IReadOnlyList<SymbolError> Errors);
