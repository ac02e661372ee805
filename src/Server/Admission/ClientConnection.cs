using System.Net;
using Edge.Protocol.Client;
using Edge.Server.Auth;

namespace Edge.Server.Admission;

/// <summary>
/// Who is on an admitted market-data connection and how to talk to them: the state <see cref="EdgeWebSocketAdmission"/>
/// hands to the application handler. Immutable; holds no token.
/// </summary>
public sealed class ClientConnection
{
    public ClientConnection(ClientIdentity identity, ClientEncoding encoding, string? subprotocol, EndPoint? remoteAddress, TokenSource tokenSource)
    {
        ArgumentNullException.ThrowIfNull(identity);
        Identity = identity;
        Encoding = encoding;
        Subprotocol = subprotocol;
        RemoteAddress = remoteAddress;
        TokenSource = tokenSource;
    }

    /// <summary>The authenticated principal (subject, tenant, token expiry, admin).</summary>
    public ClientIdentity Identity { get; }

    /// <summary>MessagePack (binary frames) or JSON (text frames), from the subprotocol.</summary>
    public ClientEncoding Encoding { get; }

    /// <summary>The subprotocol echoed in the 101 response; null when the client offered none (MessagePack).</summary>
    public string? Subprotocol { get; }

    public EndPoint? RemoteAddress { get; }

    /// <summary>Where the token was presented (header, query, subprotocol).</summary>
    public TokenSource TokenSource { get; }

    public override string ToString() => $"{Identity} encoding={Encoding} from={RemoteAddress}";
}
