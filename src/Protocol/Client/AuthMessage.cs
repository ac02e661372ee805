namespace Edge.Protocol.Client;

/// <summary>The client's <c>auth</c> {token}: a fresh token for the live connection.</summary>
public readonly struct AuthMessage(string token) : IWireMessage
{
    public void WriteTo<TEncoder>(ref TEncoder encoder)
        where TEncoder : struct, IMessageEncoder, allows ref struct
    {
        MessageStart.Write(ref encoder, 2, WireNames.Auth);
        encoder.Key(WireNames.Token);
        encoder.String(token);
        encoder.EndMap();
    }
}
