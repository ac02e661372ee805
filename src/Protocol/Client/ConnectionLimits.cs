namespace Edge.Protocol.Client;

/// <summary>The limits a <c>connected</c> message announces to the client (<c>limits</c> map).</summary>
public readonly record struct ConnectionLimits(
    int MaxSubscriptions,
    int MaxSymbolsPerRequest,
    int MaxMessageBytes,
    int MaxMessagesPerSecond);
