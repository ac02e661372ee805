namespace Edge.Protocol.Client;

/// <summary>Limits the client message decoder enforces; the server sets them from its configuration.</summary>
public sealed record ClientCommandLimits
{
    public static ClientCommandLimits Default { get; } = new();

    /// <summary>Largest accepted message in bytes (<see cref="ErrorCode.MessageTooLarge"/> above it).</summary>
    public int MaxMessageBytes { get; init; } = 16 * 1024;

    /// <summary>Most symbols in one subscribe or unsubscribe (<see cref="ErrorCode.TooManySymbols"/> above it).</summary>
    public int MaxSymbolsPerRequest { get; init; } = 100;
}
