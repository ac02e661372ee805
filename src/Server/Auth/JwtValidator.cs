using Edge.Server.Auth.Keys;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Edge.Server.Auth;

/// <summary>
/// Validates bearer JWTs (HS256, RS256, ES256) with Microsoft.IdentityModel's <see cref="JsonWebTokenHandler"/>.
/// Build one at start-up and share it: the handler, the <see cref="TokenValidationParameters"/> and the keys
/// are created once and reused by every handshake; the key set is swapped atomically on a JWKS reload.
/// Thread-safe. <see cref="Validate(string?)"/> never throws for any input and never puts the token in a
/// message or a log.
/// <para>
/// Before the handler runs, the token's <c>alg</c> must be allowed and must be the algorithm its key is bound
/// to (a <c>kid</c> selects exactly one key; without <c>kid</c> only keys of the token's algorithm are tried),
/// so <c>alg: none</c> and HS/RS confusion are refused up front. The handler then checks the signature,
/// <c>iss</c> and <c>aud</c>; then <c>exp</c> (required), <c>nbf</c> and <c>iat</c> are checked with the clock skew against the
/// validator's <see cref="TimeProvider"/> (<see cref="TimeLeft"/> gives sessions the same expiry deadline); <c>sub</c> and the tenant claim must be non-empty JSON strings.
/// Those claims are read from the verified payload by <see cref="TokenClaimsReader"/>, with their JSON types checked.
/// </para>
/// </summary>
public sealed class JwtValidator : IDisposable
{
    private readonly JsonWebTokenHandler _handler;
    private readonly TokenValidationParameters _parameters;
    private readonly SigningKeyStore _keys;
    private readonly SigningAlgorithm _allowed;
    private readonly byte[] _tenantClaim;
    private readonly byte[] _scopeClaim;
    private readonly string _adminScope;
    private readonly string _allTenantsAdminScope;
    private readonly int _maxTokenLength;
    private readonly int _clockSkewSeconds;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Builds the validator; throws <see cref="AuthConfigurationException"/> listing every problem in <paramref name="options"/>.</summary>
    /// <param name="options">Read once; later changes to it have no effect.</param>
    /// <param name="logger">Refusals at Debug (reason only), JWKS reloads at Information/Warning.</param>
    /// <param name="timeProvider">Clock for lifetime checks and the JWKS poll timer; tests pass a manual one.</param>
    public JwtValidator(AuthOptions options, ILogger<JwtValidator>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var loaded = options.Validate(errors);
        if (loaded is null || errors.Count > 0)
        {
            throw new AuthConfigurationException(errors);
        }

        _timeProvider = timeProvider ?? TimeProvider.System;
        _clockSkewSeconds = options.ClockSkewSeconds;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _allowed = loaded.Allowed;
        _tenantClaim = TokenClaimsReader.Utf8(options.TenantClaim);
        _scopeClaim = TokenClaimsReader.Utf8(options.ScopeClaim);
        _adminScope = options.AdminScope;
        _allTenantsAdminScope = options.AllTenantsAdminScope;
        _maxTokenLength = options.MaxTokenLength;
        Counters = new AuthCounters();
        _keys = new SigningKeyStore(loaded, options.JwksFile, TimeSpan.FromSeconds(options.JwksReloadSeconds), _timeProvider, Counters, _logger);

        _handler = new JsonWebTokenHandler
        {
            MapInboundClaims = false,
            MaximumTokenSizeInBytes = options.MaxTokenLength,
        };
        _parameters = new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            ValidateIssuer = true,
            ValidateAudience = true,
            RequireAudience = true,
            // Lifetime is checked in CheckLifetime against our TimeProvider: 8.x keeps the parameters'
            // TimeProvider internal, and our own check tells expired from not-yet-valid without an exception.
            ValidateLifetime = false,
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(_clockSkewSeconds),
            ValidAlgorithms = SigningAlgorithms.Names(_allowed),
            IssuerSigningKeyResolver = ResolveSigningKeys,
            TryAllIssuerSigningKeys = false,
            ValidateIssuerSigningKey = false,
            ValidateTokenReplay = false,
            ValidateActor = false,
            SaveSigninToken = false,
            LogValidationExceptions = false,
            IncludeTokenOnFailedValidation = false,
        };
    }

    /// <summary>Outcome counters for the metrics endpoint.</summary>
    public AuthCounters Counters { get; }

    /// <summary>The configured <see cref="AuthOptions.MaxTokenLength"/>; pass it to <see cref="BearerTokenExtractor.Extract"/>.</summary>
    public int MaxTokenLength => _maxTokenLength;

    /// <summary>Number of keys in use now (configured plus JWKS).</summary>
    public int KeyCount => _keys.Current.Count;

    /// <summary>Validates a raw compact JWT (as returned by <see cref="BearerTokenExtractor"/>).</summary>
    public AuthResult Validate(string? token) => Count(ValidateCore(token));

    /// <summary>Validates the outcome of <see cref="BearerTokenExtractor.Extract"/>; an extraction failure is counted and returned as is.</summary>
    public AuthResult Validate(in TokenExtraction extraction) =>
        Count(extraction.Succeeded ? ValidateCore(extraction.Token) : AuthResult.Fail(extraction.Failure));

    /// <summary>
    /// Validates a fresh token presented on a live connection: it must be valid and name the same subject and
    /// tenant as <paramref name="current"/>, otherwise <see cref="AuthFailureReason.TokenMismatch"/>. On success the
    /// new identity carries the new expiry (and admin flag).
    /// </summary>
    public AuthResult ValidateRefresh(ClientIdentity current, string? token)
    {
        ArgumentNullException.ThrowIfNull(current);
        var result = ValidateCore(token);
        if (result.Succeeded && !current.IsSamePrincipal(result.Identity!))
        {
            result = AuthResult.Fail(AuthFailureReason.TokenMismatch);
        }

        return Count(result);
    }

    /// <summary>Reloads the JWKS file now, changed or not; true when the key set was replaced. False without a JWKS file.</summary>
    public bool ReloadJwks() => _keys.Reload();

    public void Dispose() => _keys.Dispose();

    private AuthResult Count(AuthResult result)
    {
        if (result.Succeeded)
        {
            Counters.CountSuccess();
        }
        else
        {
            Counters.CountFailure(result.Failure);
            AuthLog.TokenRefused(_logger, result.Code);
        }

        return result;
    }

    private AuthResult ValidateCore(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return AuthResult.Fail(AuthFailureReason.Missing);
        }

        if (token.Length > _maxTokenLength)
        {
            return AuthResult.Fail(AuthFailureReason.TooLarge);
        }

        if (!BearerTokenExtractor.IsCompactJws(token))
        {
            return AuthResult.Fail(AuthFailureReason.Malformed);
        }

        // Two parsers must not read one token two ways: a member named twice (header alg/kid, iss, aud, any claim,
        // at any depth) is refused before IdentityModel, which keeps the last value, reads anything.
        var firstDot = token.IndexOf('.', StringComparison.Ordinal);
        var secondDot = token.IndexOf('.', firstDot + 1);
        if (!UniqueJsonMembers.InSegment(token.AsSpan(0, firstDot)) || !UniqueJsonMembers.InSegment(token.AsSpan(firstDot + 1, secondDot - firstDot - 1)))
        {
            return AuthResult.Fail(AuthFailureReason.Malformed);
        }

        JsonWebToken jwt;
        try
        {
            jwt = new JsonWebToken(token);
        }
        catch (Exception)
        {
            // Bad base64 or JSON in the header or payload; the exception text is not passed on.
            return AuthResult.Fail(AuthFailureReason.Malformed);
        }

        var precheck = CheckAlgorithmAndKey(jwt);
        if (precheck != AuthFailureReason.None)
        {
            return AuthResult.Fail(precheck);
        }

        TokenValidationResult result;
        try
        {
            // Completes synchronously: no ConfigurationManager is set, so nothing is fetched.
            result = _handler.ValidateTokenAsync(jwt, _parameters).GetAwaiter().GetResult();
        }
        catch (Exception)
        {
            return AuthResult.Fail(AuthFailureReason.Invalid);
        }

        if (!result.IsValid)
        {
            return AuthResult.Fail(MapFailure(result.Exception));
        }

        if (!TokenClaimsReader.TryRead(jwt.EncodedPayload, _tenantClaim, _scopeClaim, _adminScope, _allTenantsAdminScope, out var claims))
        {
            return AuthResult.Fail(AuthFailureReason.Malformed);
        }

        var lifetime = CheckLifetime(claims);
        if (lifetime != AuthFailureReason.None)
        {
            return AuthResult.Fail(lifetime);
        }

        if (string.IsNullOrWhiteSpace(claims.Subject))
        {
            return AuthResult.Fail(AuthFailureReason.MissingSubject);
        }

        if (string.IsNullOrWhiteSpace(claims.Tenant))
        {
            return AuthResult.Fail(AuthFailureReason.MissingTenant);
        }

        var kid = jwt.Kid;
        return AuthResult.Success(new ClientIdentity(claims.Subject, claims.Tenant, claims.Expires!.Value, claims.IsAdmin, claims.IsAllTenantsAdmin, string.IsNullOrEmpty(kid) ? null : kid));
    }

    /// <summary>
    /// How long <paramref name="identity"/>'s token stays acceptable from now: until <c>exp</c> + the clock skew, the
    /// same deadline the handshake admits by (inclusive). Negative: expired. Sessions schedule their expiry with it, so a
    /// token accepted at the handshake is never closed as expired before that deadline (and never kept after it).
    /// </summary>
    public TimeSpan TimeLeft(ClientIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return TimeSpan.FromMilliseconds(MillisecondsLeft(identity.ExpiresAtUnixSeconds));
    }

    /// <summary>The one expiry rule: a token is accepted while now &lt;= <c>exp</c> + skew; milliseconds left, negative once expired.</summary>
    private long MillisecondsLeft(long expiresUnixSeconds) =>
        // Milliseconds in a long: NumericDates are capped at year 9999, so nothing overflows.
        ((expiresUnixSeconds + _clockSkewSeconds) * 1000) - _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// <c>exp</c> is required; <c>exp</c>, <c>nbf</c> and <c>iat</c> are compared with the clock skew (RFC 7519 4.1.4,
    /// 4.1.5, 4.1.6): a token issued further in the future than the skew is refused like one not valid yet.
    /// </summary>
    private AuthFailureReason CheckLifetime(in TokenClaims claims)
    {
        if (claims.Expires is not { } expires)
        {
            return AuthFailureReason.MissingExpiry;
        }

        if (claims.NotBefore is { } notBefore && notBefore > expires)
        {
            return AuthFailureReason.Invalid;
        }

        if (MillisecondsLeft(expires) < 0)
        {
            return AuthFailureReason.Expired;
        }

        var nowMs = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        if (claims.NotBefore is { } start && (start - _clockSkewSeconds) * 1000 > nowMs)
        {
            return AuthFailureReason.NotYetValid;
        }

        if (claims.IssuedAt is { } issued && (issued - _clockSkewSeconds) * 1000 > nowMs)
        {
            return AuthFailureReason.NotYetValid;
        }

        return AuthFailureReason.None;
    }

    /// <summary>
    /// The algorithm must be allowed and be the one the selected key is bound to. A <c>crit</c> header is refused:
    /// Edge understands no JWS extension, and RFC 7515 4.1.11 requires refusing what is not understood.
    /// </summary>
    private AuthFailureReason CheckAlgorithmAndKey(JsonWebToken jwt)
    {
        var algorithm = SigningAlgorithms.Parse(jwt.Alg);
        if (algorithm == SigningAlgorithm.None || (algorithm & _allowed) == 0)
        {
            return AuthFailureReason.AlgorithmNotAllowed;
        }

        if (jwt.TryGetHeaderValue<object>("crit", out _))
        {
            return AuthFailureReason.Invalid;
        }

        var ring = _keys.Current;
        var kid = jwt.Kid;
        if (!string.IsNullOrEmpty(kid))
        {
            if (!ring.TryGetByKid(kid, out var key))
            {
                return AuthFailureReason.UnknownKid;
            }

            return key.Algorithm == algorithm ? AuthFailureReason.None : AuthFailureReason.AlgorithmNotAllowed;
        }

        return ring.ForAlgorithm(algorithm).Length == 0 ? AuthFailureReason.UnknownKid : AuthFailureReason.None;
    }

    /// <summary>
    /// Called by the handler: only keys bound to the token's algorithm, and only the <c>kid</c>'s key when it has
    /// one. Returns cached arrays, so resolving allocates nothing.
    /// </summary>
    private IEnumerable<SecurityKey> ResolveSigningKeys(string token, SecurityToken securityToken, string kid, TokenValidationParameters parameters)
    {
        if (securityToken is not JsonWebToken jwt)
        {
            return [];
        }

        var algorithm = SigningAlgorithms.Parse(jwt.Alg);
        if (algorithm == SigningAlgorithm.None || (algorithm & _allowed) == 0)
        {
            return [];
        }

        var ring = _keys.Current;
        if (!string.IsNullOrEmpty(kid))
        {
            return ring.TryGetByKid(kid, out var key) && key.Algorithm == algorithm ? key.AsArray : [];
        }

        return ring.ForAlgorithm(algorithm);
    }

    private static AuthFailureReason MapFailure(Exception? exception) => exception switch
    {
        SecurityTokenExpiredException => AuthFailureReason.Expired,
        SecurityTokenNotYetValidException => AuthFailureReason.NotYetValid,
        SecurityTokenNoExpirationException => AuthFailureReason.MissingExpiry,
        SecurityTokenInvalidIssuerException => AuthFailureReason.WrongIssuer,
        SecurityTokenInvalidAudienceException => AuthFailureReason.WrongAudience,
        SecurityTokenInvalidAlgorithmException => AuthFailureReason.AlgorithmNotAllowed,
        // The pre-check already found a key for the kid/algorithm, so "key not found" here means every
        // candidate key was tried and none verified (IDX10503 for tokens without kid).
        SecurityTokenSignatureKeyNotFoundException => AuthFailureReason.BadSignature,
        SecurityTokenInvalidSignatureException => AuthFailureReason.BadSignature,
        SecurityTokenMalformedException => AuthFailureReason.Malformed,
        _ => AuthFailureReason.Invalid,
    };
}
