namespace Edge.Protocol.Client;

/// <summary><c>pong</c> {id, time}: the answer to a client <c>ping</c>.</summary>
public readonly struct PongMessage(long id, long time) : IWireMessage
{
    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        MessageStart.Write(ref encoder, 3, WireNames.Pong);
        encoder.Key(WireNames.Id);
        encoder.Int64(id);
        encoder.Key(WireNames.Time);
        encoder.Int64(time);
        encoder.EndMap();
    }
}
