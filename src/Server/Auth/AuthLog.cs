using Microsoft.Extensions.Logging;

namespace Edge.Server.Auth;

/// <summary>
/// Source-generated log messages for authentication. None of them takes a token or key material:
/// only reasons, key ids, counts and our own error strings.
/// </summary>
internal static partial class AuthLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Debug, Message = "Token refused: {Code}")]
    public static partial void TokenRefused(ILogger logger, string code);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "JWKS file {Path} loaded: {KeyCount} usable keys, {Skipped} skipped")]
    public static partial void JwksLoaded(ILogger logger, string path, int keyCount, int skipped);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "JWKS file {Path} reload failed, keeping the previous {KeyCount} keys: {Errors}")]
    public static partial void JwksReloadFailed(ILogger logger, string path, int keyCount, string errors);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "JWKS file {Path} poll failed: {Error}")]
    public static partial void JwksPollFailed(ILogger logger, string path, string error);
}
