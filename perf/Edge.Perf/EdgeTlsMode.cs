namespace Edge.Perf;

/// <summary>How the WebSocket clients reach Edge: plain, TLS terminated by Edge itself (<c>Tls:Enabled</c>), or TLS terminated by HAProxy in front of a plain Edge.</summary>
internal enum EdgeTlsMode
{
    Plain,
    Edge,
    Haproxy,
}
