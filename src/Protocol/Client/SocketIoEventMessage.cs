namespace Edge.Protocol.Client;

/// <summary>The data of a socket.io EVENT packet: <c>[eventName, payload]</c>.</summary>
public readonly ref struct SocketIoEventMessage<TPayload>(WireKey eventName, TPayload payload) : IWireMessage
    where TPayload : struct, IWireMessage, allows ref struct
{
    private readonly TPayload _payload = payload;

    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        encoder.StartArray(2);
        encoder.Name(eventName);
        _payload.WriteTo(ref encoder);
        encoder.EndArray();
    }
}
