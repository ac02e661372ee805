using System.Net;
using Edge.Server.Http;

namespace Edge.Server.WebSockets;

/// <summary>What an admission policy sees of a handshake that passed the RFC 6455 checks.</summary>
public sealed class WebSocketAdmissionRequest
{
    public WebSocketAdmissionRequest(HttpRequestHead request, EndPoint? remoteAddress, string endpoint, string? subprotocol)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(endpoint);
        Request = request;
        RemoteAddress = remoteAddress;
        Endpoint = endpoint;
        Subprotocol = subprotocol;
    }

    /// <summary>The parsed upgrade request (headers, target with its query).</summary>
    public HttpRequestHead Request { get; }

    /// <summary>The peer's address (the TCP peer; a proxy in front of Edge shows as itself).</summary>
    public EndPoint? RemoteAddress { get; }

    /// <summary>The endpoint's name, e.g. <c>market-data</c>.</summary>
    public string Endpoint { get; }

    /// <summary>The subprotocol the 101 response will echo; null when the client offered none (then no header is sent).</summary>
    public string? Subprotocol { get; }

    /// <summary>All values of a request header joined with <c>", "</c>, or null.</summary>
    public string? Header(string name) => WebSocketHandshake.JoinedHeader(Request, name);
}
