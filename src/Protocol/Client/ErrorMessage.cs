namespace Edge.Protocol.Client;

/// <summary><c>error</c> {id?, code, message}; <c>id</c> is left out when the request's id is unknown.</summary>
public readonly struct ErrorMessage(long? id, ErrorCode code, string message) : IWireMessage
{
    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        MessageStart.Write(ref encoder, id.HasValue ? 4 : 3, WireNames.Error);
        if (id.HasValue)
        {
            encoder.Key(WireNames.Id);
            encoder.Int64(id.Value);
        }

        encoder.Key(WireNames.Code);
        encoder.String(ErrorCodes.WireName(code));
        encoder.Key(WireNames.Message);
        encoder.String(message);
        encoder.EndMap();
    }
}
