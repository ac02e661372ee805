namespace Edge.Client;

/// <summary>A command failed: the server answered with an <c>error</c>, the request timed out, or the connection was lost.</summary>
public sealed class MarketDataException : Exception
{
    public MarketDataException()
    {
    }

    public MarketDataException(string message)
        : base(message)
    {
    }

    public MarketDataException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public MarketDataException(string code, string message)
        : base($"{code}: {message}")
    {
        Code = code;
    }

    /// <summary>The wire error code (e.g. <c>RATE_LIMITED</c>), when the server sent one.</summary>
    public string? Code { get; }
}
