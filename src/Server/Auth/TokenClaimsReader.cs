using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Edge.Server.Auth;

/// <summary>
/// Reads <c>sub</c>, the tenant claim, the scope claim, <c>exp</c>, <c>nbf</c> and <c>iat</c> from a verified payload with
/// <see cref="Utf8JsonReader"/>, checking JSON types. IdentityModel's <c>TryGetPayloadValue&lt;string&gt;</c> turns
/// arrays, objects and booleans into text (a tenant of <c>["a","b"]</c> would become that string), which is
/// not acceptable for an identity used for tenant isolation. One pass, no reflection.
/// </summary>
internal static class TokenClaimsReader
{
    /// <summary>Largest NumericDate accepted: 9999-12-31T23:59:59Z.</summary>
    private const long MaxUnixSeconds = 253_402_300_799;
    private const int StackPayloadLimit = 1024;

    private static readonly byte[] SubjectName = "sub"u8.ToArray();
    private static readonly byte[] ExpiresName = "exp"u8.ToArray();
    private static readonly byte[] NotBeforeName = "nbf"u8.ToArray();
    private static readonly byte[] IssuedAtName = "iat"u8.ToArray();

    /// <summary>False when the payload is not base64url JSON, a read claim appears twice, or exp/nbf/iat is not a number in 0..year 9999.</summary>
    public static bool TryRead(ReadOnlySpan<char> encodedPayload, byte[] tenantClaim, byte[] scopeClaim, string adminScope, string allTenantsAdminScope, out TokenClaims claims)
    {
        claims = default;
        var maxLength = Base64Url.GetMaxDecodedLength(encodedPayload.Length);
        byte[]? rented = null;
        var buffer = maxLength <= StackPayloadLimit ? stackalloc byte[maxLength] : (rented = ArrayPool<byte>.Shared.Rent(maxLength));
        try
        {
            if (Base64Url.DecodeFromChars(encodedPayload, buffer, out _, out var written) != OperationStatus.Done)
            {
                return false;
            }

            return TryReadJson(buffer[..written], tenantClaim, scopeClaim, adminScope, allTenantsAdminScope, out claims);
        }
        catch (JsonException)
        {
            return false;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static bool TryReadJson(ReadOnlySpan<byte> json, byte[] tenantClaim, byte[] scopeClaim, string adminScope, string allTenantsAdminScope, out TokenClaims claims)
    {
        claims = default;
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 32 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        string? subject = null;
        string? tenant = null;
        long? expires = null;
        long? notBefore = null;
        long? issuedAt = null;
        var isAdmin = false;
        var isAllTenantsAdmin = false;
        bool seenSubject = false, seenTenant = false, seenScope = false, seenExpires = false, seenNotBefore = false, seenIssuedAt = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isSubject = reader.ValueTextEquals(SubjectName);
            var isTenant = reader.ValueTextEquals(tenantClaim);
            var isScope = reader.ValueTextEquals(scopeClaim);
            var isExpires = reader.ValueTextEquals(ExpiresName);
            var isNotBefore = reader.ValueTextEquals(NotBeforeName);
            var isIssuedAt = reader.ValueTextEquals(IssuedAtName);
            if (!reader.Read())
            {
                return false;
            }

            // A claim given twice could be read differently by different parsers: refuse the token.
            if ((isSubject && !Once(ref seenSubject)) || (isTenant && !Once(ref seenTenant)) || (isScope && !Once(ref seenScope))
                || (isExpires && !Once(ref seenExpires)) || (isNotBefore && !Once(ref seenNotBefore)) || (isIssuedAt && !Once(ref seenIssuedAt)))
            {
                return false;
            }

            if (isSubject && reader.TokenType == JsonTokenType.String)
            {
                subject = reader.GetString();
            }

            if (isTenant && reader.TokenType == JsonTokenType.String)
            {
                tenant = reader.GetString();
            }

            if (isExpires && !TryReadNumericDate(ref reader, out expires))
            {
                return false;
            }

            if (isNotBefore && !TryReadNumericDate(ref reader, out notBefore))
            {
                return false;
            }

            if (isIssuedAt && !TryReadNumericDate(ref reader, out issuedAt))
            {
                return false;
            }

            if (isScope)
            {
                ReadScopes(ref reader, adminScope, allTenantsAdminScope, out isAdmin, out isAllTenantsAdmin);
            }
            else
            {
                reader.Skip();
            }
        }

        // Nothing may follow the object (the reader throws on a second value; whitespace is fine).
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            return false;
        }

        claims = new TokenClaims(subject, tenant, isAdmin, isAllTenantsAdmin, expires, notBefore, issuedAt);
        return true;
    }

    private static bool Once(ref bool seen)
    {
        if (seen)
        {
            return false;
        }

        seen = true;
        return true;
    }

    private static bool TryReadNumericDate(ref Utf8JsonReader reader, out long? seconds)
    {
        seconds = null;
        if (reader.TokenType != JsonTokenType.Number)
        {
            return false;
        }

        if (reader.TryGetInt64(out var whole))
        {
            seconds = whole;
        }
        else if (reader.TryGetDouble(out var fractional) && double.IsFinite(fractional) && fractional is >= 0 and <= MaxUnixSeconds)
        {
            seconds = (long)Math.Floor(fractional);
        }
        else
        {
            return false;
        }

        return seconds is >= 0 and <= MaxUnixSeconds;
    }

    /// <summary>
    /// A space-separated string (OAuth 2 <c>scope</c>) or an array of strings, looked through for the two admin scopes;
    /// the reader ends on the value's last token.
    /// </summary>
    private static void ReadScopes(ref Utf8JsonReader reader, string adminScope, string allTenantsAdminScope, out bool isAdmin, out bool isAllTenantsAdmin)
    {
        isAdmin = false;
        isAllTenantsAdmin = false;
        if (reader.TokenType == JsonTokenType.String)
        {
            var scopes = reader.GetString().AsSpan();
            foreach (var range in scopes.Split(' '))
            {
                isAdmin |= scopes[range].SequenceEqual(adminScope);
                isAllTenantsAdmin |= scopes[range].SequenceEqual(allTenantsAdminScope);
            }

            return;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                isAdmin |= reader.ValueTextEquals(adminScope);
                isAllTenantsAdmin |= reader.ValueTextEquals(allTenantsAdminScope);
            }
            else
            {
                reader.Skip();
            }
        }
    }

    internal static byte[] Utf8(string claimName) => Encoding.UTF8.GetBytes(claimName);
}
