namespace Edge.Protocol.Client;

/// <summary>One entry of an <c>ack</c>'s <c>errors</c>: a symbol of the request that was not (un)subscribed, and why.</summary>
public readonly record struct SymbolError(string Symbol, ErrorCode Code, string Message);
