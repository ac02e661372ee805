namespace Edge.Server.Auth;

/// <summary>
/// Client-facing code and message for each <see cref="AuthFailureReason"/>. These strings are constants:
/// they never contain the token, a key or anything else taken from the request, so they are safe to send
/// to the client and to log.
/// </summary>
public static class AuthFailureText
{
    /// <summary>Stable machine-readable code, e.g. <c>TOKEN_EXPIRED</c>.</summary>
    public static string Code(AuthFailureReason reason) => reason switch
    {
        AuthFailureReason.None => "OK",
        AuthFailureReason.Missing => "TOKEN_MISSING",
        AuthFailureReason.Malformed => "TOKEN_MALFORMED",
        AuthFailureReason.TooLarge => "TOKEN_TOO_LARGE",
        AuthFailureReason.MultipleTokens => "TOKEN_AMBIGUOUS",
        AuthFailureReason.AlgorithmNotAllowed => "TOKEN_ALGORITHM_NOT_ALLOWED",
        AuthFailureReason.UnknownKid => "TOKEN_UNKNOWN_KEY",
        AuthFailureReason.BadSignature => "TOKEN_BAD_SIGNATURE",
        AuthFailureReason.Expired => "TOKEN_EXPIRED",
        AuthFailureReason.NotYetValid => "TOKEN_NOT_YET_VALID",
        AuthFailureReason.MissingExpiry => "TOKEN_NO_EXPIRY",
        AuthFailureReason.WrongIssuer => "TOKEN_WRONG_ISSUER",
        AuthFailureReason.WrongAudience => "TOKEN_WRONG_AUDIENCE",
        AuthFailureReason.MissingSubject => "TOKEN_NO_SUBJECT",
        AuthFailureReason.MissingTenant => "TOKEN_NO_TENANT",
        AuthFailureReason.TokenMismatch => "TOKEN_MISMATCH",
        _ => "TOKEN_INVALID",
    };

    /// <summary>Short human-readable explanation, safe to show to the client.</summary>
    public static string Message(AuthFailureReason reason) => reason switch
    {
        AuthFailureReason.None => "authenticated",
        AuthFailureReason.Missing => "no bearer token was presented",
        AuthFailureReason.Malformed => "the bearer token is not a well-formed signed JWT",
        AuthFailureReason.TooLarge => "the bearer token is too large",
        AuthFailureReason.MultipleTokens => "more than one bearer token was presented",
        AuthFailureReason.AlgorithmNotAllowed => "the token's signing algorithm is not allowed for its key",
        AuthFailureReason.UnknownKid => "no signing key matches the token",
        AuthFailureReason.BadSignature => "the token signature is invalid",
        AuthFailureReason.Expired => "the token has expired",
        AuthFailureReason.NotYetValid => "the token is not valid yet",
        AuthFailureReason.MissingExpiry => "the token has no expiry (exp)",
        AuthFailureReason.WrongIssuer => "the token was issued by an untrusted issuer",
        AuthFailureReason.WrongAudience => "the token is not meant for this service",
        AuthFailureReason.MissingSubject => "the token has no subject (sub)",
        AuthFailureReason.MissingTenant => "the token has no tenant claim",
        AuthFailureReason.TokenMismatch => "the new token names another subject or tenant than the connection",
        _ => "the token is invalid",
    };
}
