namespace Edge.Server.Auth;

/// <summary>
/// Why a token was refused. Values are stable: they index counters and map to the client error codes in
/// <see cref="AuthFailureText"/>. Extraction and validation share this set so a handshake handler deals
/// with one reason type.
/// </summary>
public enum AuthFailureReason : byte
{
    /// <summary>Not a failure.</summary>
    None = 0,

    /// <summary>No token was presented anywhere.</summary>
    Missing,

    /// <summary>A token was presented but is not a well-formed compact JWS (wrong characters, segments, JSON).</summary>
    Malformed,

    /// <summary>The token is longer than <see cref="AuthOptions.MaxTokenLength"/>.</summary>
    TooLarge,

    /// <summary>More than one token was presented (several sources, or the same source twice).</summary>
    MultipleTokens,

    /// <summary>The header's <c>alg</c> is not allowed, or does not match the algorithm the key is bound to.</summary>
    AlgorithmNotAllowed,

    /// <summary>No configured key matches the token's <c>kid</c> (or, without <c>kid</c>, its algorithm).</summary>
    UnknownKid,

    /// <summary>The signature does not verify with the selected key(s).</summary>
    BadSignature,

    /// <summary><c>exp</c> is in the past (beyond the clock skew).</summary>
    Expired,

    /// <summary><c>nbf</c> is in the future (beyond the clock skew).</summary>
    NotYetValid,

    /// <summary>The token has no <c>exp</c> claim.</summary>
    MissingExpiry,

    /// <summary><c>iss</c> is not the configured issuer.</summary>
    WrongIssuer,

    /// <summary><c>aud</c> does not contain the configured audience.</summary>
    WrongAudience,

    /// <summary>The token has no (string) <c>sub</c> claim.</summary>
    MissingSubject,

    /// <summary>The token has no (string) tenant claim (<see cref="AuthOptions.TenantClaim"/>).</summary>
    MissingTenant,

    /// <summary>A refreshed token names another subject or tenant than the connection's original token.</summary>
    TokenMismatch,

    /// <summary>Refused for another reason (for example a lifetime with <c>nbf</c> after <c>exp</c>).</summary>
    Invalid,
}
