namespace Edge.Server.Auth.Keys;

/// <summary>
/// The JWS algorithms Edge accepts, as flags so a set of them is one value. A key is bound to exactly one.
/// </summary>
[Flags]
internal enum SigningAlgorithm : byte
{
    None = 0,
    HS256 = 1,
    RS256 = 2,
    ES256 = 4,
    All = HS256 | RS256 | ES256,
}
