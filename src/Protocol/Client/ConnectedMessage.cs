namespace Edge.Protocol.Client;

/// <summary><c>connected</c> {clientId, serverTime, heartbeatInterval, limits {maxSubscriptions, maxSymbolsPerRequest, maxMessageBytes, maxMessagesPerSecond}}.</summary>
public readonly struct ConnectedMessage(string clientId, long serverTime, int heartbeatIntervalMs, ConnectionLimits limits) : IWireMessage
{
    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        MessageStart.Write(ref encoder, 5, WireNames.Connected);
        encoder.Key(WireNames.ClientId);
        encoder.String(clientId);
        encoder.Key(WireNames.ServerTime);
        encoder.Int64(serverTime);
        encoder.Key(WireNames.HeartbeatInterval);
        encoder.Int64(heartbeatIntervalMs);
        encoder.Key(WireNames.Limits);
        encoder.StartMap(4);
        encoder.Key(WireNames.MaxSubscriptions);
        encoder.Int64(limits.MaxSubscriptions);
        encoder.Key(WireNames.MaxSymbolsPerRequest);
        encoder.Int64(limits.MaxSymbolsPerRequest);
        encoder.Key(WireNames.MaxMessageBytes);
        encoder.Int64(limits.MaxMessageBytes);
        encoder.Key(WireNames.MaxMessagesPerSecond);
        encoder.Int64(limits.MaxMessagesPerSecond);
        encoder.EndMap();
        encoder.EndMap();
    }
}
