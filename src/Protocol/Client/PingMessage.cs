namespace Edge.Protocol.Client;

/// <summary>The client's <c>ping</c> {id}.</summary>
public readonly struct PingMessage(long id) : IWireMessage
{
    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        MessageStart.Write(ref encoder, 2, WireNames.Ping);
        encoder.Key(WireNames.Id);
        encoder.Int64(id);
        encoder.EndMap();
    }
}
