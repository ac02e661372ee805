namespace Edge.Protocol.Client;

/// <summary><c>heartbeat</c> {time}: server time, nanoseconds since the Unix epoch.</summary>
public readonly struct HeartbeatMessage(long time) : IWireMessage
{
    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        MessageStart.Write(ref encoder, 2, WireNames.Heartbeat);
        encoder.Key(WireNames.Time);
        encoder.Int64(time);
        encoder.EndMap();
    }
}
