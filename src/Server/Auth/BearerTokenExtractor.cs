using System.Buffers;

namespace Edge.Server.Auth;

/// <summary>
/// Pure functions that find the bearer token in a WebSocket handshake. Three ways to present it:
/// <list type="bullet">
/// <item><c>Authorization: Bearer &lt;jwt&gt;</c> — non-browser clients;</item>
/// <item>the <c>token</c> query parameter of the request target — browsers (<c>new WebSocket(url)</c> cannot set headers);</item>
/// <item>a <c>bearer.&lt;jwt&gt;</c> entry in <c>Sec-WebSocket-Protocol</c>, offered next to the real subprotocol —
/// browsers that keep tokens out of URLs. The server never echoes that entry: it selects the real
/// subprotocol with <see cref="SelectSubprotocol"/>.</item>
/// </list>
/// Inputs are header values and the request target as the client sent them; when a header occurs several
/// times pass the values joined with <c>", "</c>. Nothing here throws on hostile input or allocates except the
/// returned token string. A JWT only uses <c>A-Z a-z 0-9 - _ .</c>; anything else is refused.
/// </summary>
public static class BearerTokenExtractor
{
    /// <summary>Prefix of the <c>Sec-WebSocket-Protocol</c> entry that carries a token.</summary>
    public const string SubprotocolPrefix = "bearer.";

    /// <summary>Name of the query parameter that carries a token.</summary>
    public const string QueryParameterName = "token";

    private const int StackDecodeLimit = 1024;
    private static readonly SearchValues<char> TokenChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.");

    /// <summary>
    /// Looks in all three places. Exactly one token must be presented: none gives <see cref="AuthFailureReason.Missing"/>,
    /// two or more give <see cref="AuthFailureReason.MultipleTokens"/>, and a malformed presentation anywhere refuses the
    /// handshake even if another place holds a good token (no silent fall-back).
    /// </summary>
    public static TokenExtraction Extract(
        ReadOnlySpan<char> authorizationHeader,
        ReadOnlySpan<char> requestTarget,
        ReadOnlySpan<char> secWebSocketProtocol,
        int maxLength = AuthOptions.DefaultMaxTokenLength)
    {
        var header = FromAuthorizationHeader(authorizationHeader, maxLength);
        var subprotocol = FromSubprotocolHeader(secWebSocketProtocol, maxLength);
        var query = FromRequestTarget(requestTarget, maxLength);
        if (IsRefusal(header))
        {
            return header;
        }

        if (IsRefusal(subprotocol))
        {
            return subprotocol;
        }

        if (IsRefusal(query))
        {
            return query;
        }

        var found = (header.Succeeded ? 1 : 0) + (subprotocol.Succeeded ? 1 : 0) + (query.Succeeded ? 1 : 0);
        if (found == 0)
        {
            return TokenExtraction.Fail(AuthFailureReason.Missing);
        }

        if (found > 1)
        {
            return TokenExtraction.Fail(AuthFailureReason.MultipleTokens);
        }

        return header.Succeeded ? header : subprotocol.Succeeded ? subprotocol : query;
    }

    /// <summary>
    /// <c>Authorization</c> header value. Another scheme (e.g. <c>Basic</c>) or an empty value means no token
    /// here (<see cref="AuthFailureReason.Missing"/>); <c>Bearer</c> with no, several or bad credentials is refused.
    /// </summary>
    public static TokenExtraction FromAuthorizationHeader(ReadOnlySpan<char> value, int maxLength = AuthOptions.DefaultMaxTokenLength)
    {
        const string Scheme = "Bearer";
        value = value.Trim(" \t");
        if (value.Length < Scheme.Length
            || !value[..Scheme.Length].Equals(Scheme, StringComparison.OrdinalIgnoreCase)
            || (value.Length > Scheme.Length && value[Scheme.Length] is not (' ' or '\t')))
        {
            return TokenExtraction.Fail(AuthFailureReason.Missing, TokenSource.AuthorizationHeader);
        }

        var credentials = value[Scheme.Length..].TrimStart(" \t");
        if (credentials.IsEmpty)
        {
            return TokenExtraction.Fail(AuthFailureReason.Malformed, TokenSource.AuthorizationHeader);
        }

        if (credentials.Contains(','))
        {
            // Several Authorization headers joined into one value.
            return TokenExtraction.Fail(AuthFailureReason.MultipleTokens, TokenSource.AuthorizationHeader);
        }

        return Checked(credentials, TokenSource.AuthorizationHeader, maxLength);
    }

    /// <summary>
    /// The <c>token</c> query parameter of a request target (origin-form <c>/path?token=...</c> or absolute-form).
    /// The name and value may be percent-encoded; <c>+</c> is not a space here and is refused like any character a
    /// JWT cannot contain. The parameter given twice (even with the same value) is <see cref="AuthFailureReason.MultipleTokens"/>.
    /// </summary>
    public static TokenExtraction FromRequestTarget(ReadOnlySpan<char> requestTarget, int maxLength = AuthOptions.DefaultMaxTokenLength)
    {
        var fragment = requestTarget.IndexOf('#');
        if (fragment >= 0)
        {
            requestTarget = requestTarget[..fragment];
        }

        var question = requestTarget.IndexOf('?');
        if (question < 0)
        {
            return TokenExtraction.Fail(AuthFailureReason.Missing, TokenSource.QueryParameter);
        }

        var query = requestTarget[(question + 1)..];

        var found = false;
        var value = ReadOnlySpan<char>.Empty;
        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            if (!IsTokenParameterName(name))
            {
                continue;
            }

            if (found)
            {
                return TokenExtraction.Fail(AuthFailureReason.MultipleTokens, TokenSource.QueryParameter);
            }

            found = true;
            value = equals < 0 ? ReadOnlySpan<char>.Empty : pair[(equals + 1)..];
        }

        if (!found)
        {
            return TokenExtraction.Fail(AuthFailureReason.Missing, TokenSource.QueryParameter);
        }

        if (value.IsEmpty)
        {
            return TokenExtraction.Fail(AuthFailureReason.Malformed, TokenSource.QueryParameter);
        }

        if (value.IndexOf('%') < 0)
        {
            return Checked(value, TokenSource.QueryParameter, maxLength);
        }

        // Decoding never lengthens; a value over 3x the limit cannot decode under it.
        if (value.Length > (long)maxLength * 3)
        {
            return TokenExtraction.Fail(AuthFailureReason.TooLarge, TokenSource.QueryParameter);
        }

        char[]? rented = null;
        var buffer = value.Length <= StackDecodeLimit ? stackalloc char[value.Length] : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        try
        {
            return TryPercentDecode(value, buffer, out var written)
                ? Checked(buffer[..written], TokenSource.QueryParameter, maxLength)
                : TokenExtraction.Fail(AuthFailureReason.Malformed, TokenSource.QueryParameter);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The <c>Sec-WebSocket-Protocol</c> value: a comma-separated list in which exactly one entry may be
    /// <c>bearer.&lt;jwt&gt;</c> (prefix matched case-sensitively, like subprotocol names).
    /// </summary>
    public static TokenExtraction FromSubprotocolHeader(ReadOnlySpan<char> value, int maxLength = AuthOptions.DefaultMaxTokenLength)
    {
        var found = false;
        var token = ReadOnlySpan<char>.Empty;
        foreach (var range in value.Split(','))
        {
            var entry = value[range].Trim(" \t");
            if (!entry.StartsWith(SubprotocolPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (found)
            {
                return TokenExtraction.Fail(AuthFailureReason.MultipleTokens, TokenSource.Subprotocol);
            }

            found = true;
            token = entry[SubprotocolPrefix.Length..];
        }

        if (!found)
        {
            return TokenExtraction.Fail(AuthFailureReason.Missing, TokenSource.Subprotocol);
        }

        return token.IsEmpty
            ? TokenExtraction.Fail(AuthFailureReason.Malformed, TokenSource.Subprotocol)
            : Checked(token, TokenSource.Subprotocol, maxLength);
    }

    /// <summary>
    /// The subprotocol to echo in the handshake response: the first entry the client offered (in its order of
    /// preference) that the server supports. <c>bearer.*</c> entries are never selected, so the token is never
    /// echoed. Null when nothing matches; then a client that offered only <c>bearer.*</c> will fail the handshake
    /// (browsers require an offered subprotocol to be echoed), which is why clients offer a real one too.
    /// </summary>
    public static string? SelectSubprotocol(ReadOnlySpan<char> secWebSocketProtocol, ReadOnlySpan<string> supported)
    {
        foreach (var range in secWebSocketProtocol.Split(','))
        {
            var entry = secWebSocketProtocol[range].Trim(" \t");
            if (entry.IsEmpty || entry.StartsWith(SubprotocolPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            foreach (var candidate in supported)
            {
                if (candidate is not null
                    && !candidate.StartsWith(SubprotocolPrefix, StringComparison.Ordinal)
                    && entry.SequenceEqual(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="token"/> has the shape of a compact JWS: three base64url segments, header and payload non-empty.</summary>
    public static bool IsCompactJws(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty || token.IndexOfAnyExcept(TokenChars) >= 0)
        {
            return false;
        }

        var firstDot = token.IndexOf('.');
        if (firstDot <= 0)
        {
            return false;
        }

        var rest = token[(firstDot + 1)..];
        var secondDot = rest.IndexOf('.');
        return secondDot > 0 && rest[(secondDot + 1)..].IndexOf('.') < 0;
    }

    /// <summary>
    /// A token given on its own (a socket.io CONNECT's <c>auth.token</c>): checked like the others (length, JWT
    /// characters); an empty one is malformed.
    /// </summary>
    public static TokenExtraction FromValue(ReadOnlySpan<char> token, TokenSource source, int maxLength = AuthOptions.DefaultMaxTokenLength) =>
        token.IsEmpty ? TokenExtraction.Fail(AuthFailureReason.Malformed, source) : Checked(token, source, maxLength);

    private static bool IsRefusal(in TokenExtraction extraction) =>
        !extraction.Succeeded && extraction.Failure != AuthFailureReason.Missing;

    private static TokenExtraction Checked(ReadOnlySpan<char> token, TokenSource source, int maxLength)
    {
        if (token.Length > maxLength)
        {
            return TokenExtraction.Fail(AuthFailureReason.TooLarge, source);
        }

        return token.IndexOfAnyExcept(TokenChars) >= 0
            ? TokenExtraction.Fail(AuthFailureReason.Malformed, source)
            : TokenExtraction.Found(token.ToString(), source);
    }

    private static bool IsTokenParameterName(ReadOnlySpan<char> name)
    {
        if (name.SequenceEqual(QueryParameterName))
        {
            return true;
        }

        // "%74oken" is "token" too: decode short names so an encoded duplicate cannot slip past the count.
        if (name.IndexOf('%') < 0 || name.Length > QueryParameterName.Length * 3)
        {
            return false;
        }

        Span<char> decoded = stackalloc char[name.Length];
        return TryPercentDecode(name, decoded, out var written) && decoded[..written].SequenceEqual(QueryParameterName);
    }

    /// <summary>Percent-decodes ASCII; a bad escape or a non-ASCII byte fails (a JWT is ASCII).</summary>
    private static bool TryPercentDecode(ReadOnlySpan<char> source, Span<char> destination, out int written)
    {
        written = 0;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            if (c == '%')
            {
                if (i + 2 >= source.Length)
                {
                    return false;
                }

                var high = HexValue(source[i + 1]);
                var low = HexValue(source[i + 2]);
                if (high < 0 || low < 0)
                {
                    return false;
                }

                c = (char)((high << 4) | low);
                if (c >= 0x80)
                {
                    return false;
                }

                i += 2;
            }

            destination[written++] = c;
        }

        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
