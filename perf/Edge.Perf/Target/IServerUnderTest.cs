using System.Net;

namespace Edge.Perf.Target;

/// <summary>A server a run drives: Edge or the reference server, each with a WebSocket endpoint, an ingest endpoint and (when known) a pid to sample.</summary>
internal interface IServerUnderTest : IAsyncDisposable
{
    Uri BaseUri { get; }

    IPEndPoint Ingest { get; }

    int? Pid { get; }

    /// <summary>One line for the report's settings: what runs where.</summary>
    string Description { get; }
}
