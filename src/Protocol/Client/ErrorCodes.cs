using System.Diagnostics.CodeAnalysis;

namespace Edge.Protocol.Client;

/// <summary>Wire names of <see cref="ErrorCode"/> values.</summary>
public static class ErrorCodes
{
    public const string InvalidMessage = "INVALID_MESSAGE";
    public const string MessageTooLarge = "MESSAGE_TOO_LARGE";
    public const string UnknownType = "UNKNOWN_TYPE";
    public const string InvalidSymbol = "INVALID_SYMBOL";
    public const string UnknownSymbol = "UNKNOWN_SYMBOL";
    public const string ForbiddenSymbol = "FORBIDDEN_SYMBOL";
    public const string SubscriptionLimit = "SUBSCRIPTION_LIMIT";
    public const string TooManySymbols = "TOO_MANY_SYMBOLS";
    public const string RateLimited = "RATE_LIMITED";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string TokenExpired = "TOKEN_EXPIRED";
    public const string TokenMismatch = "TOKEN_MISMATCH";
    public const string InternalError = "INTERNAL_ERROR";
    public const string SlowConsumer = "SLOW_CONSUMER";

    public static string WireName(ErrorCode code) => code switch
    {
        ErrorCode.InvalidMessage => InvalidMessage,
        ErrorCode.MessageTooLarge => MessageTooLarge,
        ErrorCode.UnknownType => UnknownType,
        ErrorCode.InvalidSymbol => InvalidSymbol,
        ErrorCode.UnknownSymbol => UnknownSymbol,
        ErrorCode.ForbiddenSymbol => ForbiddenSymbol,
        ErrorCode.SubscriptionLimit => SubscriptionLimit,
        ErrorCode.TooManySymbols => TooManySymbols,
        ErrorCode.RateLimited => RateLimited,
        ErrorCode.Unauthorized => Unauthorized,
        ErrorCode.TokenExpired => TokenExpired,
        ErrorCode.TokenMismatch => TokenMismatch,
        ErrorCode.InternalError => InternalError,
        ErrorCode.SlowConsumer => SlowConsumer,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "not an error code"),
    };

    public static bool TryParse(string? wireName, [NotNullWhen(true)] out ErrorCode? code)
    {
        code = wireName switch
        {
            InvalidMessage => ErrorCode.InvalidMessage,
            MessageTooLarge => ErrorCode.MessageTooLarge,
            UnknownType => ErrorCode.UnknownType,
            InvalidSymbol => ErrorCode.InvalidSymbol,
            UnknownSymbol => ErrorCode.UnknownSymbol,
            ForbiddenSymbol => ErrorCode.ForbiddenSymbol,
            SubscriptionLimit => ErrorCode.SubscriptionLimit,
            TooManySymbols => ErrorCode.TooManySymbols,
            RateLimited => ErrorCode.RateLimited,
            Unauthorized => ErrorCode.Unauthorized,
            TokenExpired => ErrorCode.TokenExpired,
            TokenMismatch => ErrorCode.TokenMismatch,
            InternalError => ErrorCode.InternalError,
            SlowConsumer => ErrorCode.SlowConsumer,
            _ => null,
        };
        return code is not null;
    }
}
