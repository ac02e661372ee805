namespace Edge.Protocol.Client;

/// <summary>
/// <c>notice</c> {message, time}: operator text for the people using the client (maintenance, incidents); <c>time</c>
/// is when it was sent, nanoseconds since the Unix epoch.
/// </summary>
public readonly struct NoticeMessage(string message, long time) : IWireMessage
{
    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        MessageStart.Write(ref encoder, 3, WireNames.Notice);
        encoder.Key(WireNames.Message);
        encoder.String(message);
        encoder.Key(WireNames.Time);
        encoder.Int64(time);
        encoder.EndMap();
    }
}
