using System.Net;

namespace Edge.Perf.Target;

/// <summary>A server a run drives: Edge or the reference server, each with a WebSocket endpoint, an ingest endpoint and (when known) a pid to sample.</summary>
internal interface IServerUnderTest : IAsyncDisposable
{
    /// <summary>Where /metrics is scraped (and, unless <see cref="ClientEndpoint"/> says otherwise, where clients connect).</summary>
    Uri BaseUri { get; }

    IPEndPoint Ingest { get; }

    int? Pid { get; }

    /// <summary>One line for the report's settings: what runs where.</summary>
    string Description { get; }

    /// <summary>Where the WebSocket clients connect (a TLS terminator in front: its port, not Edge's).</summary>
    IPEndPoint ClientEndpoint => new(IPAddress.Parse(BaseUri.Host), BaseUri.Port);

    /// <summary>The clients speak TLS to <see cref="ClientEndpoint"/>.</summary>
    bool ClientTls => BaseUri.Scheme == Uri.UriSchemeHttps;

    /// <summary>More processes whose CPU and RSS count as the server's (a TLS terminator in front of Edge).</summary>
    IReadOnlyList<int> ExtraPids => [];
}
