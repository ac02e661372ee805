namespace Edge.Server.Auth;

/// <summary>
/// The outcome of validating a token: either an <see cref="Identity"/> or a <see cref="Failure"/> reason.
/// Never carries the token itself, so it can be logged as a whole.
/// </summary>
public readonly struct AuthResult
{
    private AuthResult(ClientIdentity? identity, AuthFailureReason failure)
    {
        Identity = identity;
        Failure = failure;
    }

    /// <summary>The authenticated client; null when the token was refused.</summary>
    public ClientIdentity? Identity { get; }

    /// <summary><see cref="AuthFailureReason.None"/> on success.</summary>
    public AuthFailureReason Failure { get; }

    public bool Succeeded => Identity is not null;

    /// <summary>Stable code for the client, e.g. <c>TOKEN_EXPIRED</c>.</summary>
    public string Code => AuthFailureText.Code(Failure);

    /// <summary>Safe human-readable message for the client; never contains the token.</summary>
    public string Message => AuthFailureText.Message(Failure);

    public static AuthResult Success(ClientIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return new AuthResult(identity, AuthFailureReason.None);
    }

    public static AuthResult Fail(AuthFailureReason reason)
    {
        if (reason == AuthFailureReason.None)
        {
            throw new ArgumentOutOfRangeException(nameof(reason), "a failure needs a reason");
        }

        return new AuthResult(null, reason);
    }

    public override string ToString() => Succeeded ? $"authenticated {Identity}" : $"refused {Code}";
}
