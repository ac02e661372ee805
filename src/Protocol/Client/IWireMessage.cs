namespace Edge.Protocol.Client;

/// <summary>
/// One message's shape: its keys, their order and its value types, written once for every encoding. Implemented by
/// (ref) structs holding the message's values; <see cref="MessageOutput"/> picks the encoder.
/// </summary>
public interface IWireMessage
{
    void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct;
}
