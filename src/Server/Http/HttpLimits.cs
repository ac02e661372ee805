namespace Edge.Server.Http;

/// <summary>Bounds on what a client may send before it is refused; they keep a hostile peer's cost small.</summary>
public sealed class HttpLimits
{
    public int MaxRequestLineBytes { get; init; } = 8 * 1024;

    public int MaxHeaderBytes { get; init; } = 16 * 1024;

    public int MaxHeaderCount { get; init; } = 64;

    public int MaxBodyBytes { get; init; } = 64 * 1024;
}
