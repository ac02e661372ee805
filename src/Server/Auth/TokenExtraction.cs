namespace Edge.Server.Auth;

/// <summary>
/// The result of looking for a bearer token in a handshake: the token and where it came from, or why none
/// could be taken. <see cref="ToString"/> deliberately omits the token.
/// </summary>
public readonly struct TokenExtraction
{
    private TokenExtraction(string? token, TokenSource source, AuthFailureReason failure)
    {
        Token = token;
        Source = source;
        Failure = failure;
    }

    /// <summary>The raw compact JWT; null on failure. Secret: never log it.</summary>
    public string? Token { get; }

    public TokenSource Source { get; }

    /// <summary><see cref="AuthFailureReason.None"/> when <see cref="Token"/> is set; otherwise Missing, Malformed, TooLarge or MultipleTokens.</summary>
    public AuthFailureReason Failure { get; }

    public bool Succeeded => Token is not null;

    public static TokenExtraction Found(string token, TokenSource source)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        return new TokenExtraction(token, source, AuthFailureReason.None);
    }

    public static TokenExtraction Fail(AuthFailureReason reason, TokenSource source = TokenSource.None)
    {
        if (reason == AuthFailureReason.None)
        {
            throw new ArgumentOutOfRangeException(nameof(reason), "a failure needs a reason");
        }

        return new TokenExtraction(null, source, reason);
    }

    public override string ToString() => Succeeded ? $"token from {Source}" : $"{AuthFailureText.Code(Failure)} ({Source})";
}
